"""Forms of the account pages: API tokens, invitations, accepting one, and new organisations."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from millennium.places.models import Area

from .models import ApiToken, Invitation, Membership, Organisation, Role


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Namn på nyckeln"), max_length=100,
                           help_text=_("Så att ni känner igen den, till exempel ”Import från ekonomisystemet”."))
    scopes = forms.MultipleChoiceField(label=_("Vad nyckeln får göra"), choices=ApiToken.Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    role = forms.ChoiceField(label=_("Roll"))

    def __init__(self, *args, organisation: Organisation, roles: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]

    def clean(self):
        data = super().clean()
        email, role = data.get("email"), data.get("role")
        if not email or not role:
            return data
        if Membership.objects.filter(organisation=self.organisation, role=role,
                                     user__email__iexact=email).exists():
            self.add_error("email", _("Personen med den e-postadressen har redan den rollen här."))
        elif Invitation.objects.pending().filter(organisation=self.organisation, role=role,
                                                 email__iexact=email).exists():
            self.add_error("email",
                           _("Den e-postadressen har redan en inbjudan till den rollen som inte har besvarats."))
        return data


class NewAccountForm(forms.Form):
    """A new person's user name and password; the e-mail address is the invitation's."""

    username = UsernameField(label=_("Användarnamn"), max_length=150,
                             help_text=_("Högst 150 tecken: bokstäver, siffror och @ . + - _"))
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    password1 = forms.CharField(label=_("Lösenord"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Minst 12 tecken, inte bara siffror och inte ett vanligt lösenord."))
    password2 = forms.CharField(label=_("Lösenordet igen"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean_username(self):
        username = self.cleaned_data["username"]
        user_model = get_user_model()
        user_model.username_validator(username)
        if user_model.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Användarnamnet är upptaget. Välj ett annat."))
        return username

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Lösenorden är inte lika."))
        elif password1 and data.get("username"):
            user = get_user_model()(username=data["username"], email=self.email,
                                    first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag"), choices=Organisation.Kind.choices, widget=forms.RadioSelect,
                             initial=Organisation.Kind.MUNICIPALITY)
    area_code = forms.CharField(label=_("Kommunkod"), max_length=4, required=False,
                                help_text=_("Fyra siffror, till exempel 1280 för Malmö. Bara för en kommun."))
    name = forms.CharField(label=_("Namn"), max_length=200, required=False,
                           help_text=_("Tomt för en kommun: kommunens namn används."))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        code = (data.get("area_code") or "").strip()
        if kind == Organisation.Kind.MUNICIPALITY:
            area = Area.objects.filter(code=code, level=Area.Level.MUNICIPALITY).first()
            if area is None:
                self.add_error("area_code", _("Ingen kommun har koden ”%(code)s”.") % {"code": code} if code
                               else _("Ange kommunens kod."))
            elif Organisation.objects.filter(area=area).exists():
                self.add_error("area_code", _("%(name)s finns redan som organisation.") % {"name": area.name})
            else:
                data["area"] = area
                data["name"] = data.get("name") or area.name
        elif kind == Organisation.Kind.PROGRAMME_OFFICE:
            if code:
                self.add_error("area_code", _("Programkansliet hör inte till en kommun: lämna kommunkoden tom."))
            if Organisation.objects.filter(kind=Organisation.Kind.PROGRAMME_OFFICE).exists():
                self.add_error("kind", _("Det finns redan ett programkansli."))
            if not data.get("name"):
                self.add_error("name", _("Ange programkansliets namn."))
            data["area"] = None
        return data
