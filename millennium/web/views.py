from django.http import HttpResponse


def home(request):
    return HttpResponse("ok")


def municipality(request, code):
    return HttpResponse("ok")
