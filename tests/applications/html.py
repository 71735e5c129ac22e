"""Reading a page as a person does: the text of an element, a table's cells,
the facts of a summary list, whatever classes the markup carries."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Node:
    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def walk(self):
        for child in self.children:
            if isinstance(child, _Node):
                yield child
                yield from child.walk()

    def find(self, tag: str | None = None, **attrs):
        for node in self.walk():
            if tag and node.tag != tag:
                continue
            if all(
                (v in node.attrs.get(k.rstrip("_"), "").split())
                if k.endswith("_")
                else node.attrs.get(k) == v
                for k, v in attrs.items()
            ):
                yield node


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = _Node("document", {})

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(page: str) -> _Node:
    parser = _Parser()
    parser.feed(page)
    return parser.root


def text_of(page: str, element_id: str) -> str:
    """The text of the element with ``element_id`` ('' if there is none)."""
    found = next(parse(page).find(id=element_id), None)
    return found.text() if found else ""


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """Each row of the table's body as its cells' texts."""
    table = next(parse(page).find("table", id=table_id))
    rows = []
    for body in table.find("tbody"):
        for row in body.find("tr"):
            rows.append([c.text() for c in row.children if getattr(c, "tag", "") in ("td", "th")])
    return rows


def facts(page: str) -> dict[str, str]:
    """Every summary list's key → value on the page."""
    found = {}
    for row in parse(page).find(class_="govuk-summary-list__row"):
        key = next(row.find("dt"), None)
        value = next(row.find("dd"), None)
        if key and value:
            found[key.text()] = value.text()
    return found


def headings(page: str, tag: str = "h2") -> dict[str, str]:
    """The headings ``tag`` with an id: id → text."""
    return {h.attrs["id"]: h.text() for h in parse(page).find(tag) if h.attrs.get("id")}
