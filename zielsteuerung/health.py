"""``/healthz/`` for the load balancer: database, cache, queue and disk.

Anyone may ask (no login): the answer is only ``ok`` (200) or ``fail`` (503).
Staff signed in with their second factor get each check's result
(django-health-check's page; ``?format=json`` for JSON).
"""

import asyncio
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from health_check.views import HealthCheckView


@method_decorator(login_not_required, name="dispatch")
class HealthView(HealthCheckView):
    def get_checks(self):
        media = Path(settings.MEDIA_ROOT)
        self.checks = [
            "health_check.checks.Database",
            "health_check.checks.Cache",
            "zielsteuerung.jobs.health.Queue",
            (
                "health_check.contrib.psutil.Disk",
                {
                    "path": media if media.exists() else settings.BASE_DIR,
                    "max_disk_usage_percent": settings.HEALTH_DISK_MAX_PERCENT,
                },
            ),
        ]
        return super().get_checks()

    async def get(self, request, *args, **kwargs):
        user = await request.auser()
        if user.is_staff and user.is_verified():
            return await super().get(request, *args, **kwargs)
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        healthy = not any(result.error for result in results)
        return HttpResponse(
            "ok\n" if healthy else "fail\n",
            status=200 if healthy else 503,
            content_type="text/plain; charset=utf-8",
        )
