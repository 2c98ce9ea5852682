"""config.toml as a whole (ConfigFile, a pydantic-settings model): its sections, the few that differ from the
settings the app uses (database, locale, allowances and the emergency fund, scheduler, audit), the values that check
each other, and how they become Settings."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from monitor.config.kinds import (
    PROJECT_ROOT,
    DatabaseUrl,
    Flag,
    TimeZone,
    choices,
    money,
    one_of,
    plainly,
    refusal,
    whole,
)
from monitor.config.model import (
    DEFAULT_LIMITS,
    LANGUAGES,
    YEARS,
    AllowanceLimits,
    AllowanceSettings,
    AuthSettings,
    BackupSettings,
    CheckinSettings,
    CheckupSettings,
    Demarcation,
    EmailSettings,
    ReportSettings,
    RequestSettings,
    RetentionSettings,
    RuleSettings,
    Settings,
    TrainingSettings,
)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSection(Section):
    url: DatabaseUrl = f"sqlite:///{PROJECT_ROOT / 'data' / 'monitor.db'}"


class LocaleSection(Section):
    timezone: TimeZone = "Europe/Amsterdam"
    default_language: one_of(LANGUAGES, "a language of the monitor") = "nl"
    languages: choices(LANGUAGES, "a language of the monitor") = LANGUAGES
    currency: Annotated[str, Field(strict=True, pattern=r"^[A-Z]{3}$"), plainly("must be a currency code like EUR")] = (
        "EUR"
    )


def _year(value: Any) -> Any:
    if not (isinstance(value, str) and value.isdigit() and len(value) == 4 and 2000 <= int(value) <= 2100):
        raise refusal('must be named by a year of four digits from 2000 to 2100, like "2025"')
    return int(value)


class YearLimits(Section):
    """The four maxima of one year, all required."""

    per_hour: money(100)
    per_hour_under_21: money(100)
    per_month: money(10_000)
    per_year: money(100_000)


class AllowancesSection(Section):
    overdue_days: whole(1, 366) = AllowanceSettings.overdue_days
    limits: Annotated[
        dict[Annotated[int, BeforeValidator(_year)], YearLimits],
        Field(max_length=100),
        plainly('must hold a table per year, like [allowances.limits."2025"]', parts_too=False),
    ] = Field(default_factory=lambda: {int(year): YearLimits(**given) for year, given in DEFAULT_LIMITS.items()})


class EmergencyFundSection(Section):
    low_balance: money(100_000) = AllowanceSettings.fund_low


class SchedulerSection(Section):
    run_in_app: Flag = True


class AuditSection(Section):
    keep_days: whole(1, 3 * YEARS) = 730


class ConfigFile(BaseSettings):
    """config.toml, every section and key of it; anything else in the file is refused (extra="forbid").

    Its values come from the sources monitor.config.loading gives it (the file, then MONITOR_DATABASE_URL and
    MONITOR_SMTP_PASSWORD over it), never from other environment variables or a .env file.
    """

    model_config = SettingsConfigDict(extra="forbid", frozen=True)

    database: DatabaseSection = DatabaseSection()
    locale: LocaleSection = LocaleSection()
    auth: AuthSettings = AuthSettings()
    demarcation: Demarcation = Demarcation()
    requests: RequestSettings = RequestSettings()
    rules: RuleSettings = RuleSettings()
    email: EmailSettings = EmailSettings()
    training: TrainingSettings = TrainingSettings()
    allowances: AllowancesSection = AllowancesSection()
    emergency_fund: EmergencyFundSection = EmergencyFundSection()
    audit: AuditSection = AuditSection()
    scheduler: SchedulerSection = SchedulerSection()
    backup: BackupSettings = BackupSettings()
    checkins: CheckinSettings = CheckinSettings()
    retention: RetentionSettings = RetentionSettings()
    reports: ReportSettings = ReportSettings()
    checkup: CheckupSettings = CheckupSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only what loading.py passes in (already merged from the TOML file and the environment): an environment
        # variable that happens to be called EMAIL or AUTH must not become a setting.
        return (init_settings,)

    @model_validator(mode="after")
    def _values_agree(self) -> "ConfigFile":
        """The values that check each other, each error naming the key to change."""
        if self.locale.default_language not in self.locale.languages:
            problem = f"is {self.locale.default_language!r}; use one of {', '.join(self.locale.languages)}"
            raise refusal(problem, at="locale.default_language")
        if self.auth.idle_minutes > self.auth.absolute_hours * 60:
            raise refusal("must not be longer than auth.absolute_hours", at="auth.idle_minutes")
        if self.rules.minor_night_from == self.rules.minor_night_until:
            problem = f"must differ from rules.minor_night_from, got {self.rules.minor_night_until}"
            raise refusal(problem, at="rules.minor_night_until")
        return self

    def limits(self) -> list[tuple[int, YearLimits]]:
        return sorted(self.allowances.limits.items())

    def settings(self, source: str) -> Settings:
        """The settings the app uses."""
        return Settings(
            database_url=self.database.url,
            timezone=self.locale.timezone,
            default_language=self.locale.default_language,
            languages=self.locale.languages,
            currency=self.locale.currency,
            auth=self.auth,
            demarcation=self.demarcation,
            requests=self.requests,
            rules=self.rules,
            email=self.email,
            checkins=self.checkins,
            allowances=AllowanceSettings(
                limits={
                    year: AllowanceLimits(year=year, **given.model_dump())
                    for year, given in self.allowances.limits.items()
                },
                overdue_days=self.allowances.overdue_days,
                fund_low=self.emergency_fund.low_balance,
            ),
            training=self.training,
            retention=self.retention,
            reports=self.reports,
            checkup=self.checkup,
            scheduler_in_app=self.scheduler.run_in_app,
            audit_keep_days=self.audit.keep_days,
            source=source,
            backup=self.backup,
        )
