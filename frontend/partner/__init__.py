"""What a partner sees without an account: a shared summary link (``/shared/{token}``)."""
