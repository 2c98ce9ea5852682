"""The city set-up on one machine: PostgreSQL, N app processes, one worker, and nginx with deploy/nginx/monitor.conf.

Used by tests/e2e/test_proxy.py and scripts/load_through_proxy.py. nginx runs the repository's own site file, with
only the ports, the certificate and the listen addresses swapped in, so what is tested is what an operator copies.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.e2e.browser import PROJECT_ROOT, free_port, streamlit_command, wait_for_health

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = PROJECT_ROOT / "deploy" / "nginx" / "monitor.conf"
VENV_BIN = Path(sys.executable).parent
# Which app process served each request, keyed by the routing key (the session cookie, or the address).
LOG_FORMAT = 'log_format routed "$msec $upstream_addr $status $monitor_sticky \\"$request\\"";'


@dataclass
class Cluster:
    """The running set-up: the proxy's address, the app processes by port, and where the logs are."""

    url: str
    database_url: str
    workdir: Path
    apps: dict[int, subprocess.Popen] = field(default_factory=dict)  # type: ignore[type-arg]
    worker: subprocess.Popen | None = None  # type: ignore[type-arg]

    @property
    def access_log(self) -> Path:
        return self.workdir / "access.log"

    @property
    def config(self) -> Path:
        """config.toml as shipped, with nginx on this host as the trusted proxy, as README's deployment says."""
        path = self.workdir / "config.toml"
        if not path.exists():
            shipped = (PROJECT_ROOT / "config.toml").read_text()
            path.write_text(shipped.replace("trusted_proxies = []", 'trusted_proxies = ["127.0.0.1"]', 1))
        return path

    def env(self) -> dict[str, str]:
        return dict(
            os.environ,
            MONITOR_CONFIG=str(self.config),
            MONITOR_DATABASE_URL=self.database_url,
            MONITOR_SCHEDULER="off",
            STREAMLIT_SERVER_COOKIE_SECRET="the-same-secret-in-every-app-process",
        )

    def start_app(self, port: int) -> None:
        log = (self.workdir / f"app-{port}.log").open("ab")
        process = subprocess.Popen(
            streamlit_command(port, address=None),  # every interface: nginx arrives as ::ffff:127.0.0.1
            env=self.env(),
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.apps[port] = process
        wait_for_health(f"http://127.0.0.1:{port}", process)

    def stop_app(self, port: int) -> None:
        _stop(self.apps.pop(port))

    def start_worker(self) -> None:
        env = dict(self.env())
        env.pop("MONITOR_SCHEDULER")
        log = (self.workdir / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [str(VENV_BIN / "monitor"), "worker", "--name", "city-test-worker"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def upstreams_of(self, key: str) -> list[int]:
        """The app ports that served requests with this routing key (session cookie value), oldest first."""
        ports = []
        for line in self.access_log.read_text(errors="replace").splitlines():
            parts = line.split(" ", 4)
            if len(parts) == 5 and parts[3] == key:
                ports += [int(port) for port in re.findall(r"127\.0\.0\.1:(\d+)", parts[1])]
        return ports

    def logs(self) -> str:
        paths = sorted(self.workdir.glob("*.log"))
        return "\n".join(f"--- {path.name} ---\n{path.read_text(errors='replace')[-6000:]}" for path in paths)


def nginx_available() -> bool:
    return Path(NGINX).exists()


def _stop(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (the browser is told to accept it), as nginx reads them."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def render_site(site: str, app_ports: list[int], https_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx/monitor.conf with this machine's ports and certificate; everything else as shipped."""
    upstreams = "\n".join(f"    server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;" for port in app_ports)
    site, found = re.subn(r"(?m)(^\s*server 127\.0\.0\.1:\d+ [^\n]*\n)+", upstreams + "\n", site)
    assert found == 1, "deploy/nginx/monitor.conf: no upstream server lines found"
    # The HTTP server block only redirects to HTTPS on port 80: leave it out here.
    site = re.sub(r"server \{\s*listen 80;.*?\n\}\n", "", site, count=1, flags=re.S)
    site = re.sub(r"(?m)^\s*listen \[::\]:443[^\n]*\n", "", site)
    # On IPv4 and on IPv6 loopback: a browser on [::1] has another address than the proxy's 127.0.0.1, so a test sees
    # whose address the app logs.
    site = re.sub(r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", site)
    site = re.sub(r"(?m)^(\s*)listen 127\.0\.0\.1:(\d+) ssl( http2)?;", r"\g<0>\n\1listen [::1]:\2 ssl\3;", site)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    site = site.replace("location / {", "location / {\n        access_log " + "ACCESS_LOG routed;", 1)
    return site


def nginx_conf(workdir: Path, site: str) -> str:
    temp = workdir / "temp"
    temp.mkdir(exist_ok=True)
    return f"""
daemon off;
pid {workdir / "nginx.pid"};
error_log {workdir / "nginx-error.log"} info;
worker_processes 1;
events {{ worker_connections 512; }}
http {{
    {LOG_FORMAT}
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    {site.replace("ACCESS_LOG", str(workdir / "access.log"))}
}}
"""


def load_demo(database_url: str) -> None:
    env = dict(os.environ, MONITOR_DATABASE_URL=database_url)
    subprocess.run([str(VENV_BIN / "monitor"), "demo"], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True)


@contextmanager
def city(database_url: str, app_count: int = 2) -> Iterator[Cluster]:
    """app_count app processes and nginx in front, on database_url (already holding the data); no worker yet."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="monitor-city-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)  # noqa: S103 - nginx's worker may run as another user and reads the certificate
        https_port = free_port(8700, 8799)
        cluster = Cluster(url=f"https://127.0.0.1:{https_port}", database_url=database_url, workdir=workdir)
        stack.callback(lambda: [_stop(p) for p in list(cluster.apps.values()) + [cluster.worker] if p is not None])
        for _ in range(app_count):
            cluster.start_app(free_port(8600, 8699))
        cert, key = self_signed(workdir)
        os.chmod(key, 0o644)
        site = render_site(SITE.read_text(), list(cluster.apps), https_port, cert, key)
        conf = workdir / "nginx.conf"
        conf.write_text(nginx_conf(workdir, site))
        nginx_log = (workdir / "nginx-stdout.log").open("ab")
        proxy = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(workdir)], stdout=nginx_log, stderr=nginx_log)
        stack.callback(_stop, proxy)
        try:
            _wait_for_proxy(cluster.url, proxy)
            yield cluster
        except BaseException:
            print(cluster.logs(), file=sys.stderr)
            raise


def _wait_for_proxy(url: str, proxy: subprocess.Popen, timeout_s: float = 20) -> None:  # type: ignore[type-arg]
    import ssl
    import urllib.request

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proxy.poll() is not None:
            raise RuntimeError(f"nginx stopped with exit code {proxy.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=context) as response:  # noqa: S310
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"nginx at {url} did not answer within {timeout_s:.0f} s")
