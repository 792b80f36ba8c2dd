from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tracker import views
from tracker.forms import AccountPasswordChangeForm, NewPasswordForm, PasswordResetRequestForm, SignInForm
from tracker.health import healthz
from tracker.views import pfd
from tracker.views.digest_preview import digest_preview

# The admin under the service's name, not "Django administration".
admin.site.site_header = f"{settings.SERVICE_NAME}: administration"
admin.site.site_title = settings.SERVICE_NAME
admin.site.index_title = "Reports, letters, commitments and users"

# These addresses are stable: other tools link to them.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<slug:slug>/", views.report_detail, name="report_detail"),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/original/", views.letter_original, name="letter_original"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/export.csv", views.commitment_export, name="commitment_export"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/status/", views.commitment_change_status, name="commitment_change_status"),
    path(
        "commitments/<int:pk>/due-date/", views.commitment_revise_due_date, name="commitment_revise_due_date"
    ),
    path(
        "commitments/<int:pk>/evidence/", views.commitment_assess_evidence, name="commitment_assess_evidence"
    ),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<slug:slug>/", views.department_detail, name="department_detail"),
    path("departments/<slug:slug>/pfd/", pfd.department_pfd_queue, name="department_pfd_queue"),
    path(
        "departments/<slug:slug>/pfd.csv", pfd.department_pfd_queue_export, name="department_pfd_queue_export"
    ),
    path("pfd/non-responses/", pfd.non_responses, name="pfd_non_responses"),
    path("pfd/non-responses.csv", pfd.non_responses_export, name="pfd_non_responses_export"),
    path("search/", views.search_page, name="search"),
    path("accounts/settings/", views.account_settings, name="account_settings"),
    path("accounts/settings/reports/<slug:slug>/", views.follow_report, name="follow_report"),
    path("digests/preview/", digest_preview, name="digest_preview"),
    # Django's sign-in and password pages with forms whose error messages say what to do.
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=AccountPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetRequestForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
