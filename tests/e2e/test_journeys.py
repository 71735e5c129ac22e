"""Whole visits to the public site, as a kommun's handläggare would make them."""

from tests.spreadsheets import csv_table


def test_visitor_finds_a_key_filters_it_and_downloads_it(page, demo_server):
    page.goto(demo_server("/"))
    page.locator(f"main a[href='/program/{demo_server.programme_slug}/']").click()
    assert page.url == demo_server(f"/program/{demo_server.programme_slug}/")

    page.locator(f"main a[href='{demo_server.key_path}']").click()
    assert page.url == demo_server(demo_server.key_path)
    rows = page.locator("tbody tr")
    all_rows = rows.count()
    assert all_rows > 10

    page.select_option("#filter-lan", index=1)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**?*lan=*")
    assert 0 < rows.count() < all_rows

    with page.expect_download() as download_info:
        page.locator("a[href$='.csv']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), "rb") as stream:
        table = csv_table(stream.read())
    assert table[0][:2] == ["Kod", "Organisation"]
    assert len(table) - 1 == all_rows
