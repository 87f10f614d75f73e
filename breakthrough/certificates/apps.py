from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "breakthrough.certificates"
    verbose_name = "Certificate Program"
