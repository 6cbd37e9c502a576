"""Write the SDMX test files `unsd_sdg_*` from the real UN SDG extract in the data folder.

    .venv/bin/python tests/readers/data/make_unsd_sdg_fixtures.py [DATA_DIR]

Values, years, areas and sex are the UN Global SDG Database's (../shared/data/unsd-sdg, DDF-CSV, CC-BY 4.0,
UN Statistics Division); the layout is the SDG DSD's (IAEG-SDGs:SDG 1.8, dataflow DF_SDG_GLH) as the UN SDMX
API writes it (structure-specific and generic SDMX-ML 2.1 like open-sdg/sdg-build tests/assets/data/sdmx;
SDMX-CSV 1.0 like data.un.org's ``format=csv``). The DDF extract has no AGE code: SH_DYN_IMRT (infant
mortality) gets the SDG DSD's ``Y0``; NATURE codes are upper-cased (g → G), 'notspec' → '_X'.
The files are committed; this script documents where every number came from and rebuilds them.
"""

import csv
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
DIMENSIONS = ["FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE",
              "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY",
              "PRODUCT"]
# series, DDF file, areas, years, unit (SDMX code), AGE, SDG indicator, indicator title (UN list)
SERIES = [
    ("SI_POV_DAY1", "ddf--datapoints--si_pov_day1--by--geo_area--nature--units--year.csv",
     ["1", "76", "404", "578", "752"], range(2010, 2019), "PT", "_T", "1.1.1",
     "Proportion of the population living below the international poverty line by sex, age, employment status "
     "and geographic location (urban/rural)"),
    ("SH_DYN_IMRT", "ddf--datapoints--sh_dyn_imrt--by--age--geo_area--nature--sex--units--year.csv",
     ["578", "752"], range(2016, 2020), "PER_1000_LIVE_BIRTHS", "Y0", "3.2.1",
     "Under-five mortality rate"),
    ("SG_GEN_PARL", "ddf--datapoints--sg_gen_parl--by--geo_area--nature--sex--units--year.csv",
     ["578", "752"], range(2018, 2021), "PT", "_T", "5.5.1",
     "Proportion of seats held by women in (a) national parliaments and (b) local governments"),
]
SEX = {"bothsex": "_T", "female": "F", "male": "M"}
NATURE = {"notspec": "_X"}


def observations(data: Path) -> list[dict]:
    concepts = {}
    with (data / "ddf--concepts--continuous.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            concepts[row["concept"]] = row
    rows = []
    for series, file, areas, years, unit, age, _, _ in SERIES:
        column = series.lower()
        with (data / file).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["geo_area"] in areas and int(r["year"]) in years and r[column] != "":
                    rows.append({"SERIES": series, "REF_AREA": r["geo_area"], "SEX": SEX[r.get("sex", "bothsex")],
                                 "AGE": age, "TIME_PERIOD": r["year"], "OBS_VALUE": r[column], "UNIT_MEASURE": unit,
                                 "NATURE": NATURE.get(r["nature"], r["nature"].upper()),
                                 "name": concepts[column]["description"]})
    rows.sort(key=lambda r: (r["SERIES"], int(r["REF_AREA"]), r["SEX"], r["TIME_PERIOD"]))
    return rows


def key_of(r: dict) -> dict:
    values = {"FREQ": "A", "REPORTING_TYPE": "G", "SERIES": r["SERIES"], "REF_AREA": r["REF_AREA"], "SEX": r["SEX"],
              "AGE": r["AGE"]}
    return {d: values.get(d, "_T") for d in DIMENSIONS}


def grouped(rows):
    series = {}
    for r in rows:
        key = tuple(key_of(r).items()) + (("UNIT_MEASURE", r["UNIT_MEASURE"]),)
        series.setdefault(key, []).append(r)
    return series


HEADER = """  <message:Header>
    <message:ID>IREF-MILLENNIUM-TEST</message:ID>
    <message:Test>true</message:Test>
    <message:Prepared>2020-10-19T00:00:00Z</message:Prepared>
    <message:Sender id="UNSD"/>
    <message:Structure structureID="IAEG-SDGs_SDG_1_8"{namespace} dimensionAtObservation="TIME_PERIOD">
      <common:Structure>
        <Ref agencyID="IAEG-SDGs" id="SDG" version="1.8"/>
      </common:Structure>
    </message:Structure>
    <message:DataSetAction>Information</message:DataSetAction>
    <message:DataSetID>SDG</message:DataSetID>
  </message:Header>
"""


def structure_specific(rows) -> str:
    ns = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=IAEG-SDGs:SDG(1.8):ObsLevelDim:TIME_PERIOD"
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<message:StructureSpecificData xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/'
           f'structurespecific" xmlns:ns1="{ns}" xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/'
           'message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
           HEADER.format(namespace=f' namespace="{ns}"').rstrip("\n"),
           '  <message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType" '
           'ss:structureRef="IAEG-SDGs_SDG_1_8" ss:action="Information">']
    for key, obs in grouped(rows).items():
        out.append("    <Series " + " ".join(f'{k}="{escape(v)}"' for k, v in key) + ">")
        for r in obs:
            out.append(f'      <Obs TIME_PERIOD="{r["TIME_PERIOD"]}" OBS_VALUE="{r["OBS_VALUE"]}" UNIT_MULT="0" '
                       f'NATURE="{r["NATURE"]}"/>')
        out.append("    </Series>")
    out += ["  </message:DataSet>", "</message:StructureSpecificData>", ""]
    return "\n".join(out)


def generic(rows) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<message:GenericData xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic" '
           'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
           'xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
           HEADER.format(namespace="").rstrip("\n"),
           '  <message:DataSet structureRef="IAEG-SDGs_SDG_1_8" action="Information">']
    for key, obs in grouped(rows).items():
        key = dict(key)
        unit = key.pop("UNIT_MEASURE")
        out += ["    <generic:Series>", "      <generic:SeriesKey>"]
        out += [f'        <generic:Value id="{k}" value="{escape(v)}"/>' for k, v in key.items()]
        out += ["      </generic:SeriesKey>", "      <generic:Attributes>",
                f'        <generic:Value id="UNIT_MEASURE" value="{unit}"/>', "      </generic:Attributes>"]
        for r in obs:
            out += ["      <generic:Obs>", f'        <generic:ObsDimension value="{r["TIME_PERIOD"]}"/>',
                    f'        <generic:ObsValue value="{r["OBS_VALUE"]}"/>', "        <generic:Attributes>",
                    '          <generic:Value id="UNIT_MULT" value="0"/>',
                    f'          <generic:Value id="NATURE" value="{r["NATURE"]}"/>',
                    "        </generic:Attributes>", "      </generic:Obs>"]
        out.append("    </generic:Series>")
    out += ["  </message:DataSet>", "</message:GenericData>", ""]
    return "\n".join(out)


def sdmx_csv(rows) -> str:
    columns = ["DATAFLOW"] + DIMENSIONS + ["TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT", "NATURE"]
    lines = [",".join(columns)]
    for r in rows:
        values = {"DATAFLOW": "IAEG-SDGs:DF_SDG_GLH(1.8)", **key_of(r), "TIME_PERIOD": r["TIME_PERIOD"],
                  "OBS_VALUE": r["OBS_VALUE"], "UNIT_MEASURE": r["UNIT_MEASURE"], "UNIT_MULT": "0",
                  "NATURE": r["NATURE"]}
        lines.append(",".join(values[c] for c in columns))
    return "\n".join(lines) + "\n"


def structure(rows, data: Path) -> str:
    areas = {}
    with (data / "ddf--entities--geo_area.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            areas[r["geo_area"]] = r["name"]
    names = {r["SERIES"]: r["name"] for r in rows}
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
           'xmlns:structure="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" '
           'xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" '
           'xmlns:xml="http://www.w3.org/XML/1998/namespace">',
           "  <message:Header>", "    <message:ID>IREF-MILLENNIUM-TEST-STRUCTURE</message:ID>",
           "    <message:Test>true</message:Test>", "    <message:Prepared>2020-10-19T00:00:00Z</message:Prepared>",
           '    <message:Sender id="UNSD"/>', "  </message:Header>", "  <message:Structures>",
           "    <structure:Codelists>",
           '      <structure:Codelist id="CL_SERIES" agencyID="IAEG-SDGs" version="1.8">',
           '        <common:Name xml:lang="en">SDG series</common:Name>']
    for series, *_, indicator, title in SERIES:
        out += [f'        <structure:Code id="{series}">', "          <common:Annotations>",
                "            <common:Annotation>",
                "              <common:AnnotationTitle>Indicator</common:AnnotationTitle>",
                f'              <common:AnnotationText xml:lang="en">{indicator}</common:AnnotationText>',
                "            </common:Annotation>", "            <common:Annotation>",
                "              <common:AnnotationTitle>IndicatorTitle</common:AnnotationTitle>",
                f'              <common:AnnotationText xml:lang="en">{escape(title)}</common:AnnotationText>',
                "            </common:Annotation>", "          </common:Annotations>",
                f'          <common:Name xml:lang="en">{escape(names[series])}</common:Name>',
                "        </structure:Code>"]
    out += ["      </structure:Codelist>",
            '      <structure:Codelist id="CL_AREA" agencyID="IAEG-SDGs" version="1.8">',
            '        <common:Name xml:lang="en">Reference area</common:Name>']
    for code in sorted({r["REF_AREA"] for r in rows}, key=int):
        out.append(f'        <structure:Code id="{code}"><common:Name xml:lang="en">{escape(areas[code])}'
                   "</common:Name></structure:Code>")
    out += ["      </structure:Codelist>",
            '      <structure:Codelist id="CL_UNIT_MEASURE" agencyID="IAEG-SDGs" version="1.8">',
            '        <common:Name xml:lang="en">Unit of measure</common:Name>',
            '        <structure:Code id="PT"><common:Name xml:lang="en">Percent</common:Name></structure:Code>',
            '        <structure:Code id="PER_1000_LIVE_BIRTHS"><common:Name xml:lang="en">Per 1,000 live births'
            "</common:Name></structure:Code>",
            "      </structure:Codelist>", "    </structure:Codelists>", "  </message:Structures>",
            "</message:Structure>", ""]
    return "\n".join(out)


def main(data: Path) -> None:
    rows = observations(data)
    (HERE / "unsd_sdg_structure_specific.xml").write_text(structure_specific(rows), encoding="utf-8")
    (HERE / "unsd_sdg_generic.xml").write_text(generic(rows), encoding="utf-8")
    (HERE / "unsd_sdg.csv").write_text(sdmx_csv(rows), encoding="utf-8")
    (HERE / "unsd_sdg_structure.xml").write_text(structure(rows, data), encoding="utf-8")
    print(f"{len(rows)} observations")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data") / "unsd-sdg")
