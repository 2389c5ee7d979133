"""Officer wording of statistics and release errors, shared by the desk and the CLI."""

from __future__ import annotations

from i18n import N_

STATISTICS_MESSAGES: dict[str, str] = {
    "release_refused": N_(
        "Release refused: together with release {release}, the withheld count '{entry}' could be "
        "narrowed to {low}-{high}; it must keep at least {required} possible values. Nothing was published."
    ),
    "release_threshold": N_("For a release, k must be from {low} to {high} (given: {k})."),
    "release_measure": N_("Releases count cases; persons are counted inside the post only (--internal)."),
    "release_age_bands": N_(
        "Releases use the standard age bands; other bands are for use inside the post only (--internal)."
    ),
    "release_dimensions": N_(
        "The breakdown {dimensions} is not a release table: choose dimensions of one release table, "
        "or use --internal inside the post."
    ),
    "release_period": N_("A release covers one whole half-year or year (for example --period 2026-H1)."),
    "release_period_open": N_("The period {period} has not ended yet: it can be released after it ends."),
    "bad_release_period": N_("'{period}' is not a period: write 2026, 2026-H1 or 2026-H2."),
    "make_release": N_("Only statisticians and supervisors make releases."),
    "exact_statistics": N_("Exact counts are for statisticians and supervisors only."),
    "release_not_recorded": N_(
        "This table has not been released for {period} yet: a statistician or supervisor releases it."
    ),
    "release_ledger": N_("Only statisticians and supervisors can read the release ledger."),
    "release_noise_dimensions": N_(
        "The breakdown {dimensions} cannot be released with noise: its codes come from the data "
        "(ethnic group, province) or a case counts in several of them. Use suppression for it."
    ),
    "release_epsilon": N_("For a noisy release, epsilon must be from {low} to {high} (given: {epsilon})."),
    "privacy_budget_spent": N_(
        "The privacy budget for the cases of {year} would be overspent: {spent} of {budget} is "
        "spent, this release needs {asked}. Nothing was published."
    ),
}
