#!/bin/sh
# medseal: the MedSeal command line on macOS, run by the app binary (MedSeal --cli), since workstations
# have no Node. Installed as MedSeal.app/Contents/MacOS/medseal-cli; the pkg links /usr/local/bin/medseal here.
exec /Applications/MedSeal.app/Contents/MacOS/MedSeal --cli -- "$@"
