/* test_figures.c - the own-inventory figures (figures.h). Expected values are
 * read off the texts by hand; seed 001's are those the figures issue states
 * (2020: total 951.4万吨, scope 1 51.0万吨, scope 2 371.0万吨, scope 3
 * 529.4万吨). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "pipeline.h"
#include "quantity.h"
#include "testutil.h"
#include "util.h"

typedef struct S_run {
    cnrs_rubric *r;
    cnrs_extractor *x;
    cnrs_report *rep;
} S_run;

static void S_score_text(S_run *t, const char *name, const char *text)
{
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_rubric_load(cnrs_test_rubric(), &t->r, NULL, &err), CNRS_OK);
    t->x = cnrs_extractor_new(t->r);
    cnrs_doc *doc;
    ck_assert_int_eq(cnrs_ingest_memory(name, CNRS_FMT_TEXT, text, strlen(text), &doc, &err),
                     CNRS_OK);
    t->rep = cnrs_score_doc(t->x, t->r, doc);
}

static void S_done(S_run *t)
{
    cnrs_report_free(t->rep);
    cnrs_extractor_free(t->x);
    cnrs_rubric_free(t->r);
}

/* The figure of `scope` and `year`, or NULL. */
static const cnrs_figure *S_find(const S_run *t, const char *scope, int year)
{
    for (size_t k = 0; k < t->rep->figs.n; k++)
        if (strcmp(t->rep->figs.v[k].scope, scope) == 0 && t->rep->figs.v[k].year == year)
            return &t->rep->figs.v[k];
    return NULL;
}

static void S_expect(const S_run *t, const char *scope, int year, double tco2e)
{
    const cnrs_figure *f = S_find(t, scope, year);
    ck_assert_msg(f != NULL, "no scope %s figure for %d", scope, year);
    ck_assert_msg(fabs(f->tco2e - tco2e) <= 1e-6 * tco2e, "scope %s %d: %f tCO2e, want %f", scope,
                  year, f->tco2e, tco2e);
    ck_assert_str_eq(f->kind, "emissions");
}

START_TEST(seed_001)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/001_90c452405eb75d1a.txt", cnrs_test_seeds());
    char *text;
    size_t len;
    cnrs_error err = {0};
    ck_assert_int_eq(cnrs_read_file(path, (size_t)16 << 20, &text, &len, &err), CNRS_OK);
    S_run t;
    S_score_text(&t, path, text);
    free(text);
    S_expect(&t, "total", 2020, 9514000);
    S_expect(&t, "1", 2020, 510000);
    S_expect(&t, "2", 2020, 3710000);
    S_expect(&t, "3", 2020, 5294000);
    const cnrs_figure *f = S_find(&t, "total", 2020);
    ck_assert_str_eq(f->value_text, "951.4");
    ck_assert_str_eq(f->unit, "万吨");
    ck_assert_int_eq(t.rep->card->stage, 3);
    S_done(&t);
}
END_TEST

/* A reduction clause removes its own figure, not the inventory beside it. */
START_TEST(reduction_clause)
{
    S_run t;
    S_score_text(&t, "r.txt",
                 "We achieved a reduction of 4 million metric tons of CO2e, and our 2022 Scope 1 "
                 "and 2 GHG emissions were approximately 4.8 million metric tons of CO2e.\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_expect(&t, "1+2", 2022, 4800000);
    ck_assert_int_eq(t.rep->figs.v[0].approx, CNRS_APPROX_ABOUT);
    S_done(&t);
}
END_TEST

/* Targets, pollutants and intensities are not the inventory. */
START_TEST(not_inventory)
{
    S_run t;
    S_score_text(&t, "t.txt", "公司计划到2030年将温室气体排放总量控制在50万吨二氧化碳当量以内。\n");
    ck_assert_uint_eq(t.rep->figs.n, 0);
    ck_assert_int_lt(t.rep->card->stage, 3);
    S_done(&t);

    S_score_text(&t, "p.txt", "2022年二氧化硫排放量为120吨，温室气体排放总量为3.5万吨二氧化碳当量。\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_expect(&t, "total", 2022, 35000);
    S_done(&t);

    S_score_text(&t, "i.txt", "2022年单位营收碳排放强度为0.32吨二氧化碳当量/万元。\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    ck_assert_str_eq(t.rep->figs.v[0].kind, "intensity");
    ck_assert_str_eq(t.rep->figs.v[0].unit, "吨二氧化碳当量/万元"); /* with its denominator */
    S_done(&t);

    S_score_text(&t, "e.txt", "GHG emissions intensity was 0.74 tCO2e per MWh in 2022.\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    ck_assert_str_eq(t.rep->figs.v[0].kind, "intensity");
    ck_assert_str_eq(t.rep->figs.v[0].unit, "tCO2e per MWh");
    S_done(&t);
}
END_TEST

/* A part named in an "including" clause is a component of the figure before
 * it, not a scope's own figure (Swisscom 2021 p.11; its 14,429 prints its
 * unit after a bracket and is read from the key-figures table instead). */
START_TEST(including_clause_is_a_component)
{
    S_run t;
    S_score_text(&t, "c.txt",
                 "Direct Scope 1 emissions from the combustion of fossil fuels and from "
                 "refrigerants amounted to 14,429 (prior year: 14,420) tonnes of CO2, including 33 "
                 "tonnes (prior year: 36 tonnes) as fugitive emissions from the loss of "
                 "refrigerants.\n");
    ck_assert_uint_eq(t.rep->figs.n, 0);
    S_done(&t);
    /* a scope of its own in the clause still counts */
    S_score_text(&t, "d.txt",
                 "Our total GHG emissions were 290,392 tonnes of CO2 in 2021, including Scope 1 "
                 "emissions of 14,429 tonnes of CO2.\n");
    S_expect(&t, "total", 2021, 290392);
    S_expect(&t, "1", 2021, 14429);
    S_done(&t);
}
END_TEST

/* A flattened table row: unit printed once, values under header years. */
START_TEST(table_rows)
{
    S_run t;
    S_score_text(&t, "row.txt",
                 "Names of the Indicator Unit 2019 2020 2021\n\n"
                 "Scope 1 GHG emissions9 tCO2e 141,100 157,820 164,173 - Vehicle plants tCO2e "
                 "141,100 155,726 147,374\n");
    S_expect(&t, "1", 2019, 141100);
    S_expect(&t, "1", 2020, 157820);
    S_expect(&t, "1", 2021, 164173);
    ck_assert_uint_eq(t.rep->figs.n, 3); /* the plants are components */
    S_done(&t);

    /* the unit in a caption nearby, the values in a short row */
    S_score_text(&t, "cap.txt", "温室气体排放（单位：万吨）\n\n2021年范围一直接排放 3.2\n");
    S_expect(&t, "1", 2021, 32000);
    S_done(&t);

    /* an emission factor is methodology; "降低至" gives the level reached
     * (000725 2016 prints both) */
    S_score_text(&t, "fac.txt",
                 "温室气体排放(范畴一+范畴二)采用排放因子(电:0.604tCO2/MWh、柴油3.15tCO2/t)进行计算。"
                 "\n\n2016年单位面积温室气体排放降低至66.8kgCO2/m2。\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    ck_assert_str_eq(t.rep->figs.v[0].kind, "intensity");
    ck_assert_str_eq(t.rep->figs.v[0].value_text, "66.8");
    ck_assert_int_eq(t.rep->figs.v[0].year, 2016);
    S_done(&t);

    /* table cells are clauses: a row flattened from two columns keeps its
     * figure apart from the other column's reduction; a row label's target
     * and a "+9t" change give none */
    S_score_text(&t, "cells.txt",
                 "We aim to reduce emissions by 30% | Greenhouse gas emissions from manufacturing "
                 "in 2021 | 1.16 million tons-CO2.\n\n"
                 "Reduction target (tCO2e) | 5,000.\n\n"
                 "Scope 1 emissions in 2021 | The change since base year 2020 is +9t CO2eq.\n");
    S_expect(&t, "total", 2021, 1160000);
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_done(&t);

    /* 温室排放量 for 温室气体排放量, as 600685 2016 prints it */
    S_score_text(&t, "short.txt", "项目名称 | 指标名称 | 2016年\n\n温室排放量(吨二氧化碳当量) | 15201427\n");
    S_expect(&t, "total", 2016, 15201427);
    S_done(&t);

    /* "MtCO2e" meaning metric tons: no company emits 13 trillion tonnes */
    S_score_text(&t, "mt.txt", "Total GHG emissions were 13.249 million MtCO2e in FY2022.\n");
    S_expect(&t, "total", 2022, 13249000);
    S_done(&t);
}
END_TEST

/* A table whose unit is printed once, under its last row; its components
 * (Scope 3 categories, one gas of a scope) are not scope totals; a target
 * named before a colon heads the figure after it. Worked by hand from the
 * rows (MNST 2021, GFS 2022 and SCMN 2021 print rows like these). */
START_TEST(table_units_and_components)
{
    S_run t;
    S_score_text(&t, "foot.txt",
                 "Our greenhouse gas inventory covers all sites.\n\n"
                 "Gross Greenhouse Gas Emissions 2021.\n"
                 "Scope 1 (direct) 4,671.\n"
                 "Scope 2, location-based (indirect) 4,677.\n"
                 "Total Scope 1+2 emissions 9,348.\n"
                 "Scope 3: Purchased goods and services 3,721,214.\n"
                 "Scope 3: Business travel 7,716.\n"
                 "Scope 3: Downstream transportation and distribution 499,473.\n"
                 "Total Scope 1+2+3 4,238,446 (SASB FB-NB-110a.1) Metric Tons of Carbon Dioxide "
                 "Equivalent (MT CO2e) intensity factors for natural gas and electricity were "
                 "applied.\n");
    S_expect(&t, "1", 2021, 4671);
    S_expect(&t, "2", 2021, 4677);
    S_expect(&t, "1+2", 2021, 9348);
    S_expect(&t, "total", 2021, 4238446);
    ck_assert_str_eq(S_find(&t, "2", 2021)->basis, "location");
    ck_assert_ptr_null(S_find(&t, "3", 2021)); /* categories only, no scope 3 total */
    ck_assert_uint_eq(t.rep->figs.n, 4);
    S_done(&t);

    S_score_text(&t, "gas.txt",
                 "2021 Scope 1 GHG emissions: 1,715,613 MTCO2e.\n\n"
                 "2021 Scope 1 perfluorinated compounds emissions: 1,249,306 MTCO2e.\n");
    S_expect(&t, "1", 2021, 1715613);
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_done(&t);

    /* a target column (SCMN 2021: "Value 2021 target value 2022") */
    S_score_text(&t, "kpi.txt",
                 "Focus of the sustainability strategy | Value 2021 target value 2022.\n"
                 "KPI: CO2 emissions Scope 1 (buildings and vehicles) tonnes CO2e | 14,429 | "
                 "12,300.\n");
    S_expect(&t, "1", 2021, 14429);
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_done(&t);
    /* ... but "Target" after the last actual year heads the next column */
    S_score_text(&t, "kpi2.txt",
                 "Indicator | 2020 | 2021 | Target 2025.\n"
                 "Scope 1 emissions tCO2e | 15,100 | 14,429 | 9,000.\n");
    S_expect(&t, "1", 2020, 15100);
    S_expect(&t, "1", 2021, 14429);
    ck_assert_uint_eq(t.rep->figs.n, 2);
    S_done(&t);

    S_score_text(&t, "goal.txt",
                 "Net zero target: limit CO2 emissions from operations and the supply chain to "
                 "235,000 tonnes CO2e by 2025.\n\n"
                 "In 2021 our Scope 1 emissions were 14,429 tonnes CO2e.\n");
    S_expect(&t, "1", 2021, 14429);
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_done(&t);
}
END_TEST

/* A KPI table flattened column by column (Sinopec 2021 prints one like it):
 * labels one per line, all values in one line year after year, the years
 * below. 15 values over 3 years: 5 a year, for the last 5 labels (GHGs
 * emission, direct, indirect, CO2 capture, methane recovery). */
START_TEST(table_by_columns)
{
    static const char head[] = "Key Performance.\n"
                               "Environmental Performance.\n"
                               "Methane emission (million cubic metres)\n"
                               "Oil & gas exploration and production segment.\n"
                               "GHGs emission (million tonnes CO2-equivalent) Note1.\n"
                               "Direct GHGs emission.\n"
                               "Indirect GHGs emission.\n"
                               "CO2 capture (thousand tonnes)\n"
                               "Methane recovery (million cubic metres) 170.69 125.68 45.01 1,263 397 "
                               "170.94 128.58 42.36 1,290 600 172.56 148.38 24.18 1,520";
    char text[1024];
    snprintf(text, sizeof text, "%s 717.\nIndicators.\nIndicators 2019 2019 2020 2020 2021 2021.\n",
             head);
    S_run t;
    S_score_text(&t, "col.txt", text);
    S_expect(&t, "total", 2019, 170690000);
    S_expect(&t, "total", 2021, 172560000);
    S_expect(&t, "1", 2020, 128580000);
    S_expect(&t, "2", 2021, 24180000);
    ck_assert_uint_eq(t.rep->figs.n, 9); /* CO2 capture and methane are not emissions */
    S_done(&t);

    /* 14 values cannot be shared by 3 years: nothing is guessed */
    snprintf(text, sizeof text, "%s.\nIndicators.\nIndicators 2019 2019 2020 2020 2021 2021.\n", head);
    S_score_text(&t, "odd.txt", text);
    ck_assert_uint_eq(t.rep->figs.n, 0);
    S_done(&t);
}
END_TEST

/* Columns with their own units, a caption's year, a note glued to a row
 * (BLDR 2022 prints this table), and small values in cells (WRE 2022). */
START_TEST(column_units_and_cells)
{
    S_run t;
    S_score_text(&t, "cols.txt",
                 "We are collecting and calculating our emissions at our five largest "
                 "locations.\n"
                 "2021 Top 5 Sites* and Total Vehicle Fleet Emissions:\n"
                 "Metric Tons CO2e Energy Use (kWh)\n"
                 "Vehicle Fleet and Select Operations (Scope 1) 149,970 593,166,165.\n"
                 "Electricity (Scope 2) 1,725 3,286,789 *Based on available data from each of "
                 "the top 5 locations surveyed, which covers approximately 65% of natural gas and "
                 "electricity utilities billing data.\n");
    S_expect(&t, "1", 2021, 149970);
    S_expect(&t, "2", 2021, 1725);
    ck_assert_uint_eq(t.rep->figs.n, 2); /* kWh are not tonnes */
    S_done(&t);

    S_score_text(&t, "cells.txt",
                 "Retail | 2021 | 2020 | 2021.\n"
                 "Scope 1 (MTCO2e) | 144 | - | - | -.\n"
                 "Scope 2 Location-Based (MTCO2e) | 74 | - | - | -.\n"
                 "Scope 1 + Scope 2 Market-Based (MTCO2e) | 217 | - | - | -.\n");
    S_expect(&t, "1", 2021, 144);
    S_expect(&t, "2", 2021, 74);
    S_expect(&t, "1+2", 2021, 217);
    ck_assert_uint_eq(t.rep->figs.n, 3); /* 217 is not scope 2's */
    S_done(&t);
}
END_TEST

/* A KPI table whose rows hold values only: the caption names the metric, a
 * row of entities and a row of gases the columns (WH Group's 2016 ESG
 * report prints this layout). The group total's carbon dioxide is the only
 * gas it reports: 約271萬噸 = 2,710,000 t. The segments' values and the
 * single gases beside a total are components. */
START_TEST(gas_columns)
{
    static const char hkex[] =
        "關鍵績效指標A1.2\t2016年溫室氣體總排放量（以噸計算）\n"
        "史密斯菲爾德美國與歐洲\t\t\t中國雙匯\t\t\t萬洲國際-總計\n"
        "二氧化碳 甲烷\t氧化亞氮\t\t二氧化碳\t甲烷 氧化亞氮\t\t二氧化碳 甲烷 氧化亞氮\n"
        "約135萬噸 287噸\t288噸\t\t約136萬噸\tn.a.噸 n.a.噸\t\t約271萬噸 n.a.噸 n.a.噸\n";
    S_run t;
    S_score_text(&t, "hkex.txt", hkex);
    S_expect(&t, "total", 2016, 2710000);
    ck_assert_uint_eq(t.rep->figs.n, 1);
    ck_assert_str_eq(t.rep->figs.v[0].unit, "万吨");
    /* the row of values is the Q11 evidence, and it is quantitative */
    ck_assert_int_eq(t.rep->card->stage, 3);
    size_t q11 = 0;
    for (size_t e = 0; e < t.rep->ev.n; e++) {
        const cnrs_evidence *x = &t.rep->ev.ev[e];
        if (strcmp(t.r->indicators[x->indicator].id, "Q11") != 0)
            continue;
        q11++;
        ck_assert_str_eq(t.r->items[x->item].qid, "Q11.total");
        ck_assert_uint_eq(x->sent, t.rep->figs.v[0].sent);
        ck_assert_uint_ne(x->units, 0);
        ck_assert_uint_eq(t.rep->ev.feats[x->feat].sent, x->sent);
    }
    ck_assert_uint_eq(q11, 1);
    S_done(&t);

    /* a column of all gases ("Total GHG"), one entity */
    S_score_text(&t, "total.txt",
                 "Greenhouse gas emissions in 2021 (tonnes)\n"
                 "CO2\tCH4\tTotal GHG\n"
                 "5,000 tonnes\t20 tonnes\t5,500 tonnes\n");
    S_expect(&t, "total", 2021, 5500);
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_done(&t);

    static const char *const none[] = {
        /* segments without a total */
        "2016年溫室氣體總排放量（以噸計算）\nA廠\t\tB廠\n二氧化碳\t甲烷\t二氧化碳\t甲烷\n"
        "100噸\tn.a.\t200噸\tn.a.\n",
        /* single gases, none a total */
        "2016年溫室氣體總排放量（以噸計算）\n二氧化碳\t甲烷\t氧化亞氮\n500噸\t20噸\t3噸\n",
        /* pollutants: 二氧化硫 is not 二氧化碳 */
        "關鍵績效指標A1.1\t2016年排放物種類及相關排放數據（以噸計算）\n氮氧化物\t二氧化硫\n"
        "1,194噸\t1,481噸\n",
        /* a target, not an inventory */
        "2025年溫室氣體排放量目標（以噸計算）\n二氧化碳\t甲烷\n10萬噸\tn.a.噸\n",
        /* no GHG caption */
        "2016年包裝材料用量（以噸計算）\n二氧化碳\t甲烷\n500噸\tn.a.噸\n",
    };
    for (size_t k = 0; k < sizeof none / sizeof *none; k++) {
        S_score_text(&t, "none.txt", none[k]);
        ck_assert_msg(t.rep->figs.n == 0, "case %zu: %zu figures", k, t.rep->figs.n);
        ck_assert_int_lt(t.rep->card->stage, 3);
        S_done(&t);
    }
}
END_TEST

/* Footnote digits glued by extraction (Poste Italiane 2017, Bayer 2021):
 * "Scope 11" is scope 1 with note 1, "Scope 1 and 23:" scopes 1 and 2 with
 * note 3; a note marker after a row's values ("157,916 1.") is not a third
 * value of a two-year header. */
START_TEST(glued_footnotes)
{
    S_run t;
    S_score_text(&t, "poste.txt",
                 "Total CO2 emissions of the Group U.m. 2016 2017.\n"
                 "Direct emissions - Scope 11 ton 180,797 193,774.\n"
                 "Indirect emissions - Scope 22 ton 10,804 9,901.\n"
                 "Indirect emissions - Scope 3 ton 170,675 157,916 1.\n");
    S_expect(&t, "1", 2016, 180797);
    S_expect(&t, "1", 2017, 193774);
    S_expect(&t, "2", 2016, 10804);
    S_expect(&t, "2", 2017, 9901);
    S_expect(&t, "3", 2016, 170675);
    S_expect(&t, "3", 2017, 157916);
    ck_assert_uint_eq(t.rep->figs.n, 6);
    S_done(&t);

    S_score_text(&t, "bayer.txt",
                 "Status 2021: Scope 1 and 23: 3.17 million metric tons CO2e Scope 34: 8.16 "
                 "million metric tons CO2e.\n");
    S_expect(&t, "1+2", 2021, 3170000);
    S_expect(&t, "3", 2021, 8160000);
    ck_assert_uint_eq(t.rep->figs.n, 2);
    S_done(&t);
}
END_TEST

/* Charts and labels printed as text (3M, CarMax, Deutsche Bank, Microsoft,
 * J&J, Lockheed, BAT 2021): an axis's ticks are not values; a Scope 3
 * category after a comma, one gas after a dash, biogenic CO2 (reported
 * apart from the scopes) and a category row read as a total are not the
 * inventory; "marketbased" (a hyphen lost) is a basis. */
START_TEST(axis_category_basis)
{
    S_run t;
    /* ticks 0..200K step 50K, then the 2021 bar's label */
    S_score_text(&t, "axis.txt",
                 "Total GHG emissions (MTCO2e) 200K 150K 100K 50K 0 171,267 in 2021.\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_expect(&t, "total", 2021, 171267);
    S_done(&t);

    /* an even series without 0 is data (PPG 2021 prints 0.15 ... 0.12) */
    S_score_text(&t, "even.txt",
                 "Indicator 2018 2019 2020 2021.\n"
                 "Scope 1 GHG emissions (million tonnes CO2e) 1.5 1.4 1.3 1.2.\n");
    S_expect(&t, "1", 2018, 1.5e6);
    S_expect(&t, "1", 2021, 1.2e6);
    ck_assert_uint_eq(t.rep->figs.n, 4);
    S_done(&t);

    S_score_text(&t, "cat.txt",
                 "Scope 3, business travel GHG emissions 3,039 t of CO2e in 2021.\n"
                 "Scope 1 - N2O 248 mtCO2e in 2021.\n"
                 "Biogenic CO2 emissions in 2021 were 1,758 MT CO2.\n"
                 "Fuel and energy related activities (not included in Scope 1 and 2) emissions "
                 "were 100,786 MT CO2e in 2021.\n"
                 "Scope 2 CO2e emissions (marketbased) 170 thousand tonnes in 2021.\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_expect(&t, "2", 2021, 170000);
    ck_assert_str_eq(t.rep->figs.v[0].basis, "market");
    S_done(&t);

    /* a value with its own multiplier under a label with one (Enel 2021:
     * "3.0 million" read under "million t CO2" gave 3,000,000,000,000 t):
     * ambiguous, not read; the label's own row still is */
    S_score_text(&t, "mult.txt",
                 "Scope 2 emissions 24.0 million t CO2 in 2021.\n"
                 "Scope 1 3.0 million.\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    S_expect(&t, "2", 2021, 24e6);
    S_done(&t);
}
END_TEST

/* Header years (BAT 2021): "Goals and targets" heads another column, not
 * the first year, and a prose sentence with years far apart ("by 2030 ...
 * by 2050") is no header: the row takes 2021, 2020, 2019. "FY17" is 2017. */
START_TEST(header_years)
{
    S_run t;
    S_score_text(&t, "bat.txt",
                 "Topic Goals and targets Metrics Progress tracking Status 2021 2020 2019.\n"
                 "Climate change Net Zero achieve carbon neutral operations (Scope 1 and 2 CO2e "
                 "emissions) by 2030 and net zero emissions across our value chain by 2050.\n"
                 "Scope 1 CO2e emissions (thousand tonnes) 325 342 396.\n");
    S_expect(&t, "1", 2021, 325000);
    S_expect(&t, "1", 2020, 342000);
    S_expect(&t, "1", 2019, 396000);
    ck_assert_uint_eq(t.rep->figs.n, 3);
    S_done(&t);

    /* a year over a column with its unit (Netflix 2021: "2019 MTCO2e | 2020
     * MTCO2e | 2021 MTCO2e") */
    S_score_text(&t, "nflx.txt",
                 "Table 1: 2021 Greenhouse Gas Inventory\n"
                 "2019 MTCO2e\t2020 MTCO2e\t2021 MTCO2e\n"
                 "SCOPE 1\t51,487\t30,883\t62,815\n");
    S_expect(&t, "1", 2019, 51487);
    S_expect(&t, "1", 2021, 62815);
    ck_assert_uint_eq(t.rep->figs.n, 3);
    S_done(&t);

    /* a header heads the rows of its page only (GM 2021: the assertions table
     * of p68 is for 2021, not for the first year of a header pages before) */
    S_score_text(&t, "gm.txt",
                 "GHG emissions (tCO2e) 2019 2020 2021.\n"
                 "Scope 1 emissions tCO2e 100,000 200,000 300,000.\n"
                 "\fGeneral Motors Global Facilities - 2021 GHG and Sustainability Data "
                 "Assertions\n"
                 "Parameter\tAssertion\tMetric\n"
                 "Scope 1 GHG Emissions - Total\t1,252,906\tMetric tonnes of carbon dioxide\n");
    S_expect(&t, "1", 2019, 100000);
    ck_assert_uint_eq(t.rep->figs.n, 4);
    ck_assert_int_eq(t.rep->figs.v[3].year, 2021);
    S_done(&t);

    /* two-digit fiscal years head a table (Microsoft 2021) */
    S_score_text(&t, "fy.txt",
                 "Table 1 GHG emissions by Scope (mtCO2e)\n"
                 "FY17 FY18 FY19 FY20 FY21.\n"
                 "Scope 1 107,452 99,008 117,956 118,100 123,704.\n");
    S_expect(&t, "1", 2017, 107452);
    S_expect(&t, "1", 2021, 123704);
    ck_assert_uint_eq(t.rep->figs.n, 5);
    S_done(&t);
}
END_TEST

/* Masses and rows that are not the inventory (Uniper, Vodafone, British
 * Land, Sony): a mass in a clause without an emission word, even when a
 * later clause has one; displaced emissions; a row with a unit of its own
 * of another dimension under a GHG label; a table of emission factors.
 * ", of" does not end the clause. */
START_TEST(not_emission_masses)
{
    S_run t;
    S_score_text(&t, "uniper.txt",
                 "MMP3 cofired 536 kilotons of biomass in 2021 (prior year: 552 kilotons), "
                 "enabling it to displace 817 kilotons of fossil carbon emissions.\n\n"
                 "Vodafone GHG emissions: Scope 3 (air travel only) (million tonnes CO2e) 0.06.\n"
                 "Energy and GHG emissions: Electricity purchased from renewable sources (%) 15.4.\n");
    ck_assert_uint_eq(t.rep->figs.n, 1);
    ck_assert_str_eq(t.rep->figs.v[0].scope, "3");
    S_done(&t);

    /* a table of emission factors (British Land 2022) gives no intensity; a
     * note naming the factors used does not make its table one (BPER) */
    S_score_text(&t, "factors.txt",
                 "Table 4: Carbon conversion factors.\n"
                 "Natural gas Scope 1 direct GHG (kg CO2e/kWh) 0.18316.\n\n"
                 "Source of emission factors: UK Government GHG conversion factors for company "
                 "reporting 2021 for 2021 data, and the 2020 factors for 2020 data, as published.\n"
                 "Emission intensity per employee (tCO2e/person) 2.13 2.05 in 2021.\n");
    ck_assert_uint_eq(t.rep->figs.n, 2); /* 2.13 and 2.05 per person */
    ck_assert_str_eq(t.rep->figs.v[0].kind, "intensity");
    ck_assert_str_eq(t.rep->figs.v[0].value_text, "2.13");
    S_done(&t);

    S_score_text(&t, "sony.txt",
                 "In fiscal year 2021, emissions of CO2 from energy use at Sony sites accounted for "
                 "approximately 1.07 million tons, out of the approximately 1.20 million tons, of "
                 "total greenhouse gas emissions at Sony sites.\n");
    int found = 0; /* (1.07 million, CO2 from energy use, is read too: a part) */
    for (size_t k = 0; k < t.rep->figs.n; k++)
        found |= t.rep->figs.v[k].tco2e == 1.2e6 && t.rep->figs.v[k].year == 2021;
    ck_assert_msg(found, "no 1.20 million t for 2021");
    S_done(&t);
}
END_TEST

Suite *cnrs_suite_figures(void);
Suite *cnrs_suite_figures(void)
{
    Suite *s = suite_create("figures");
    TCase *tc = tcase_create("inventory");
    /* each case loads the rubric and scores a text: slow under ASan and valgrind */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seed_001);
    tcase_add_test(tc, reduction_clause);
    tcase_add_test(tc, not_inventory);
    tcase_add_test(tc, including_clause_is_a_component);
    tcase_add_test(tc, table_rows);
    tcase_add_test(tc, table_units_and_components);
    tcase_add_test(tc, table_by_columns);
    tcase_add_test(tc, column_units_and_cells);
    tcase_add_test(tc, gas_columns);
    tcase_add_test(tc, glued_footnotes);
    tcase_add_test(tc, axis_category_basis);
    tcase_add_test(tc, header_years);
    tcase_add_test(tc, not_emission_masses);
    suite_add_tcase(s, tc);
    return s;
}
