"""PDF forms: plain form data in, PDF bytes out (ReportLab); never touches the database.

Importing the package applies the pinned ReportLab fixes (``forms.patches``) and the faster
number formatting (``forms.speedups``) once.
"""

from forms import patches as _patches
from forms import speedups as _speedups

_patches.apply()
_speedups.apply()
