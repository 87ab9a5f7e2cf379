#!/usr/bin/python3
"""The B3 baseline: QGIS renders a GeoPackage layer headless, categorized by
a field (`landuse` unless --field says otherwise) with the palette of
resources/palettes/landuse.json, and the stroke saban-bench's style draws,
into an image of the given size and EPSG:3857 box, and prints its own timing
as one JSON line. saban-bench runs it once per timed run
(QT_QPA_PLATFORM=offscreen).

render_s covers QgsMapRendererParallelJob from start to finish: QGIS reads
the features from the GeoPackage (through its R-tree) as it draws them, so
its render includes reading; opening the layer is load_s.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (Qgis, QgsApplication, QgsCategorizedSymbolRenderer, QgsCoordinateReferenceSystem,
                       QgsFillSymbol, QgsMapRendererParallelJob, QgsMapSettings, QgsRectangle,
                       QgsRendererCategory, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

HERE = os.path.dirname(os.path.abspath(__file__))
PALETTE = os.path.join(HERE, "..", "..", "resources", "palettes", "landuse.json")

# The parcels style of src/map/saban-layer-style.c (stroke #5e5c64b0 0.6 px,
# fill by land-use code, #deddda for codes the palette lacks) unless
# saban-bench passes the stroke of the style it draws.
STROKE = "94,92,100,176"
STROKE_WIDTH_PX = 0.6
DEFAULT_FILL = "#deddda"


def symbol(fill, stroke, width):
    s = QgsFillSymbol.createSimple({"color": fill, "outline_color": stroke,
                                    "outline_width": str(width), "outline_width_unit": "Pixel"})
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--layer", required=True)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--bbox", required=True, help="min_x,min_y,max_x,max_y in EPSG:3857")
    ap.add_argument("--output")
    ap.add_argument("--palette", default=PALETTE)
    ap.add_argument("--field", default="landuse", help="the field the categories are read from")
    ap.add_argument("--stroke", default=STROKE, help="outline colour, r,g,b,a")
    ap.add_argument("--stroke-width", type=float, default=STROKE_WIDTH_PX, help="outline width in pixels")
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    bbox = [float(v) for v in args.bbox.split(",")]

    qgs = QgsApplication([], False)
    qgs.initQgis()

    start = time.monotonic()
    layer = QgsVectorLayer(f"{args.input}|layername={args.layer}", args.layer, "ogr")
    if not layer.isValid():
        print(f"cannot open {args.input} layer {args.layer}", file=sys.stderr)
        return 1
    with open(args.palette, encoding="utf-8") as f:
        codes = json.load(f)["codes"]
    categories = [QgsRendererCategory(code, symbol(entry["color"], args.stroke, args.stroke_width), entry["label"])
                  for code, entry in codes.items()]
    categories.append(QgsRendererCategory(None, symbol(DEFAULT_FILL, args.stroke, args.stroke_width), ""))
    layer.setRenderer(QgsCategorizedSymbolRenderer(args.field or "landuse", categories))
    load_s = time.monotonic() - start

    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setOutputSize(QSize(width, height))
    settings.setOutputDpi(96)
    settings.setExtent(QgsRectangle(*bbox))
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setFlag(QgsMapSettings.Antialiasing, True)

    start = time.monotonic()
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    render_s = time.monotonic() - start

    if args.output:
        image.save(args.output, "png")
    print(json.dumps({"bench": "qgis-render", "qgis": Qgis.QGIS_VERSION,
                      "load_s": round(load_s, 6), "render_s": round(render_s, 6),
                      "features": layer.featureCount(), "threads": QgsApplication.maxThreads()}))
    sys.stdout.flush()
    # exitQgis() with the layer alive segfaults in 3.22; nothing is left to save.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
