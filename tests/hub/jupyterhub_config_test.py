"""The hub test's configuration: the README's recipe (docs/hub/jupyterhub_config.py), then only
what a test must change. Values come from environment variables the test sets (ROLELIB_TEST_*).
Who may log in is the recipe's own: PAM, members of the learners' or instructors' group."""

import os

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

load_subconfig(os.environ["ROLELIB_TEST_RECIPE"])  # noqa: F821 - the recipe, unchanged

work = os.environ["ROLELIB_TEST_HUB_STATE"]

# Only 127.0.0.1, on ports chosen by the test; the hub's state in the test's own folder.
c.JupyterHub.hub_port = int(os.environ["ROLELIB_TEST_HUB_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['ROLELIB_TEST_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.auth_token = os.environ["ROLELIB_TEST_PROXY_TOKEN"]
c.JupyterHub.db_url = f"sqlite:///{work}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{work}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{work}/jupyterhub.pid"
c.Spawner.ip = "127.0.0.1"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# The test drives the hub through its REST API with this service's token.
c.JupyterHub.services = [{"name": "rolelib-test", "api_token": os.environ["ROLELIB_TEST_API_TOKEN"]}]
c.JupyterHub.load_roles = [{
    "name": "rolelib-test",
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"],
    "services": ["rolelib-test"],
}]
