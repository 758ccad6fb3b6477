"""The web application for working users: sign-in through the embedded issuer's authorization-code flow
with PKCE, a server-side session in a cookie, CSRF on every form, and the pages of each role, which call
the same services as the API routers (api/routers)."""
