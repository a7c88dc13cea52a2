"""The identity pages (Swedish paths, namespace ``identity``)."""

from django.urls import path

from identity.views import sessions, sso, twofactor

app_name = "identity"

urlpatterns = [
    path("tvastegs/", twofactor.overview, name="overview"),
    path("tvastegs/aktivera/", twofactor.enrol, name="enrol"),
    path("tvastegs/verifiera/", twofactor.verify, name="verify"),
    path("tvastegs/reservkoder/", twofactor.recovery_codes, name="recovery_codes"),
    path("tvastegs/aterstall/", twofactor.reset, name="reset"),
    path("sessioner/", sessions.overview, name="sessions"),
    path("sessioner/avsluta/", sessions.revoke, name="revoke_session"),
    path("sessioner/logga-ut-overallt/", sessions.logout_everywhere, name="logout_everywhere"),
    path("sso/bekrafta/", sso.step_up, name="sso_step_up"),
    path("sso/nekad/", sso.refused, name="sso_refused"),
]
