"""Demo regional sub-grants (fordela.regional.demo): Västra Götalandsregionen's
2022 round with applications in every state. Run after seed_demo_recovery;
idempotent."""

from django.core.management.base import BaseCommand

from fordela.regional.demo import seed_demo_regional


class Command(BaseCommand):
    help = (
        "Västra Götalandsregionen's own 2022 round (VKV) with applications in every state; "
        "users vkv and vkv-beslut (password demo). Idempotent."
    )

    def handle(self, *args, **options):
        done = seed_demo_regional()
        self.stdout.write(
            "Demo regional round: {applications} applications, {events} audit events added.".format(
                **done
            )
        )
