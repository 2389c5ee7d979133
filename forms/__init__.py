"""PDF forms: plain form data in, PDF bytes out (ReportLab); never touches the database.

Importing the package applies the pinned ReportLab fixes (``forms.patches``) once.
"""

from forms import patches as _patches

_patches.apply()
