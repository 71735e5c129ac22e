from django.shortcuts import render

from fordela.programmes.models import Programme


def home(request):
    programmes = Programme.objects.prefetch_related("years")
    return render(request, "core/home.html", {"programmes": programmes})


def about(request):
    return render(request, "core/about.html")
