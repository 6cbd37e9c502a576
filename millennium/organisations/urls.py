from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

# Never cached per data version like the statistics pages: every page here depends on who is signed in.
urlpatterns = [
    path("konto/logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/", views.account, name="account"),
    path("konto/losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("konto/aterstall/", views.SitePasswordResetView.as_view(), name="password_reset"),
    path("konto/aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("konto/aterstall/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        success_url=reverse_lazy("password_reset_complete")), name="password_reset_confirm"),
    path("konto/aterstall/klart/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("konto/organisationer/", views.organisation_list, name="organisations"),
    path("konto/organisation/<int:pk>/medlemmar/", views.members, name="organisation_members"),
    path("konto/organisation/<int:pk>/medlemmar/<int:membership_pk>/ta-bort/", views.membership_remove,
         name="membership_remove"),
    path("konto/organisation/<int:pk>/inbjudningar/<int:invitation_pk>/aterkalla/", views.invitation_cancel,
         name="invitation_cancel"),
    path("konto/organisation/<int:pk>/api-nycklar/", views.tokens, name="organisation_tokens"),
    path("konto/organisation/<int:pk>/api-nycklar/<int:token_pk>/aterkalla/", views.token_revoke,
         name="token_revoke"),
    path("konto/inbjudan/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
