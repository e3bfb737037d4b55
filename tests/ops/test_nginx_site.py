"""deploy/nginx/baocao.conf passes `nginx -t` on the nginx the target system ships (Debian 12: 1.22).

The certificates and ports are swapped for throw-away ones; nothing else of the file is changed.
Skipped with a message where nginx is not installed (it is not a dependency of the app or its tests).
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

SITE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "baocao.conf"


class NginxSiteTests(SimpleTestCase):
    def test_the_site_passes_nginx_t(self) -> None:
        nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
        openssl = shutil.which("openssl")
        if nginx is None or openssl is None:
            self.skipTest("Cần nginx và openssl để kiểm tra cấu hình deploy/nginx/baocao.conf (nginx -t).")
        folder = Path(tempfile.mkdtemp(prefix="tthc-nginx-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        subprocess.run(  # noqa: S603 - fixed arguments
            [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
             "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        site = (
            SITE.read_text(encoding="utf-8")
            .replace("/etc/ssl/baocao/fullchain.pem", str(folder / "cert.pem"))
            .replace("/etc/ssl/baocao/privkey.pem", str(folder / "key.pem"))
            .replace("listen 80;", "listen 127.0.0.1:18081;")
            .replace("listen 443 ssl", "listen 127.0.0.1:18443 ssl")
        )
        (folder / "site.conf").write_text(site, encoding="utf-8")
        (folder / "nginx.conf").write_text(
            f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
            f"http {{\n include {folder}/site.conf;\n}}\n",
            encoding="utf-8",
        )
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [nginx, "-t", "-c", str(folder / "nginx.conf")], capture_output=True, text=True, check=False
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("syntax is ok", done.stderr)
