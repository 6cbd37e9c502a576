from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# Not cached per data version like the statistics pages: what a page shows depends on who is signed in.
urlpatterns = [
    path("praktiker/", views.practice_list, name="practices"),
    path("praktiker/ny/", views.practice_create, name="practice_create"),
    path("praktiker/<int:pk>/", views.practice_detail, name="practice"),
    path("praktiker/<int:pk>/andra/", views.practice_edit, name="practice_edit"),
    path("praktiker/<int:pk>/publicera/", views.practice_publish, name="practice_publish"),
    # Signing in for editors and approvers; an accounts app with organisations and roles comes in issue 5.
    path("konto/logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
]
