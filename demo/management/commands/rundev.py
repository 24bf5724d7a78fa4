"""`make run`'s web server: Django's runserver, quiet. The system checks still run (problems are
shown); instead of the banner it prints the address once the server listens."""

from django.core.management.commands.runserver import Command as RunserverCommand
from django.utils.translation import gettext as _

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 (runserver's "0" means this, as runserver prints)


class Command(RunserverCommand):
    help = "De ontwikkelserver van `make run`: stil, met het adres zodra hij luistert."

    def inner_run(self, *args, **options):
        # The checks run here without "Performing system checks..." and their tally; a warning
        # or error still shows (on stderr), an error still stops the server.
        self.check(display_num_errors=False)
        options["skip_checks"] = True
        super().inner_run(*args, **options)

    def on_bind(self, server_port):
        if self._raw_ipv6:
            addr = f"[{self.addr}]"
        else:
            addr = ALL_INTERFACES if self.addr == "0" else self.addr
        self.stdout.write(
            _("Inburgering Westfriesland draait op %(url)s (Ctrl-C stopt)")
            % {"url": f"{self.protocol}://{addr}:{server_port}/"}
        )
