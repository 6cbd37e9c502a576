from django.urls import path

from . import views

# Not cached per data version like the statistics pages: what a page shows depends on who is signed in.
urlpatterns = [
    path("praktiker/", views.practice_list, name="practices"),
    path("praktiker/ny/", views.practice_create, name="practice_create"),
    path("praktiker/<int:pk>/", views.practice_detail, name="practice"),
    path("praktiker/<int:pk>/andra/", views.practice_edit, name="practice_edit"),
    path("praktiker/<int:pk>/publicera/", views.practice_publish, name="practice_publish"),
]
