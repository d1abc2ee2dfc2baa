from django.urls import path

from .views import help, login, setup, users

app_name = "accounts"

urlpatterns = [
    path("inloggen/", login.login, name="login"),
    path("inloggen/code/", login.login_code, name="login-code"),
    path("uitloggen/", login.logout, name="logout"),
    path("activeren/<str:uidb64>/<str:token>/", setup.activate, name="activate"),
    path("wachtwoord-herstellen/<str:uidb64>/<str:token>/", setup.password_reset, name="password-reset"),
    path("wachtwoord-instellen/", setup.set_password, name="set-password"),
    path("authenticator-koppelen/", setup.totp_setup, name="totp-setup"),
    path("wachtwoord-vergeten/", setup.password_forgotten, name="password-forgotten"),
    path("hulp-nodig/", help.help_request, name="help"),
    path("mijn-account/", users.profile, name="profile"),
    path("mijn-account/wachtwoord-wijzigen/", users.password_change, name="password-change"),
    path("gebruikers/", users.user_list, name="user-list"),
    path("gebruikers/nieuw/", users.user_create, name="user-create"),
    path("gebruikers/uitnodigen/", users.users_invite, name="users-invite"),
    path("gebruikers/<int:pk>/", users.user_detail, name="user-detail"),
    path(
        "gebruikers/<int:pk>/authenticator-resetten/", users.user_reset_authenticator, name="user-reset-authenticator"
    ),
]
