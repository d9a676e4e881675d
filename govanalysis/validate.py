"""Validation against human coding: coding sheets, scores with intervals, agreement, term
suggestions and topic intrusion tests (a Python counterpart of R's oolong).

The loop a researcher runs: draw a sample of passages (:func:`sample_for_coding`), code it
by the lexicon's definitions, score the package's theme detection against the coding
(:func:`score_coding`), compare two coders (:func:`coder_agreement`), and read which words
the lexicon misses or over-counts (:func:`suggest_terms`). For topics, word and topic
intrusion sheets (:func:`word_intrusion`, :func:`topic_intrusion`) carry a seeded answer key.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

SCORE_COLUMNS = ["theme", "n_units", "n_positive", "tp", "fp", "fn", "precision", "recall", "f1", "f1_low",
                 "f1_high"]
ERROR_COLUMNS = ["unit_id", "theme", "error", "terms", "text"]


class CodingError(ValueError):
    """A coding sheet that cannot be scored; the message names the column or row."""


def example_coding() -> pd.DataFrame:
    """The shipped hand coding: 1,640 passages of seeds/ and the development corpora coded for the
    15 themes by the protocol in ``bench/gold/THEMES.md`` (``unit_id, text``, one 0/1 column
    per theme, ``note``). The lexicons were tuned on it: use it to learn the workflow, and
    code a sample of your own corpus to measure."""
    from ._data import data_path

    return pd.read_csv(data_path("examples/themes_coded.csv"), dtype={"unit_id": str}, keep_default_na=False,
                       na_values=[""])


def _themes(lexicon) -> list[str]:
    from .text.themes import load_lexicon

    return list(load_lexicon(lexicon))


def sample_for_coding(units: pd.DataFrame, n: int, *, stratify: tuple[str, ...] = ("role", "lexicon_hit"),
                      lexicon=None, min_chars: int = 15, max_chars: int = 600,
                      random_state: int = 0) -> pd.DataFrame:
    """A coding sheet of ``n`` passages drawn at random within strata.

    Parameters
    ----------
    units
        Passages: the paragraphs table (``paragraph_id, text`` and the stratify columns),
        or any table with ``unit_id`` and ``text``.
    n
        Passages to draw.
    stratify
        Columns to stratify by; ``lexicon_hit`` (whether the lexicon finds any theme in the
        passage) is computed. Each stratum gets a share of ``n`` proportional to the square
        root of its size, so rare strata (problems sections, passages the lexicon misses)
        are coded too, and no stratum gets more than it has.
    lexicon
        Theme lexicon (see :func:`govanalysis.load_lexicon`): its themes are the columns.
    min_chars, max_chars
        Passages outside this length are not drawn (a heading fragment, a whole report
        pasted as one paragraph).
    random_state
        Seed of the draw and of the order.

    Returns
    -------
    pandas.DataFrame
        One row per passage in random order: ``unit_id, text`` and one empty column per
        theme (to fill with 1 or 0; blank = not coded).
    """
    from .text.themes import theme_matches

    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n: must be a positive whole number, not {n!r}")
    table = units.copy()
    if "unit_id" not in table:
        if "paragraph_id" not in table:
            raise ValueError("units: needs a unit_id or paragraph_id column")
        table["unit_id"] = table["paragraph_id"]
    if "text" not in table:
        raise ValueError("units: needs a text column")
    themes = _themes(lexicon)
    length = table["text"].str.len()
    table = table[(length >= min_chars) & (length <= max_chars)].drop_duplicates("text")
    if "lexicon_hit" in stratify:
        ids = table.assign(doc_id="", section_id="", paragraph_id=table["unit_id"], role="")
        hit = set(theme_matches(ids, lexicon)["paragraph_id"])
        table["lexicon_hit"] = table["unit_id"].isin(hit)
    missing = [c for c in stratify if c not in table]
    if missing:
        raise ValueError(f"stratify: no column {', '.join(missing)} in units")
    table = table.sort_values("unit_id", kind="stable")
    groups = {key: group for key, group in table.groupby(list(stratify), sort=True, dropna=False)} if stratify \
        else {(): table}
    quota = _allocate({key: len(group) for key, group in groups.items()}, n)
    rng = np.random.default_rng(random_state)
    picks = [group.iloc[np.sort(rng.choice(len(group), size=quota[key], replace=False))]
             for key, group in groups.items() if quota[key]]
    drawn = pd.concat(picks) if picks else table.iloc[:0]
    drawn = drawn.iloc[rng.permutation(len(drawn))]
    sheet = drawn[["unit_id", "text"]].reset_index(drop=True)
    for theme in themes:
        sheet[theme] = pd.array([pd.NA] * len(sheet), dtype="Int64")
    return sheet


def _allocate(sizes: dict, n: int) -> dict:
    """Shares of ``n``: one passage per non-empty stratum first (when ``n`` allows), the
    rest proportional to the square root of each stratum's size, capped at its size,
    summing to ``min(n, total)`` (largest remainders first, ties by key order)."""
    left = dict.fromkeys(sizes, 0)
    remaining = min(n, sum(sizes.values()))
    if remaining >= sum(1 for size in sizes.values() if size):
        left = {k: int(size > 0) for k, size in sizes.items()}
        remaining -= sum(left.values())
    while remaining:
        open_keys = [k for k in sizes if left[k] < sizes[k]]
        weights = {k: math.sqrt(sizes[k]) for k in open_keys}
        total = sum(weights.values())
        shares = {k: remaining * w / total for k, w in weights.items()}
        given = 0
        for k in open_keys:
            take = min(int(shares[k]), sizes[k] - left[k])
            left[k] += take
            given += take
        if not given:  # hand out the last few by largest remainder
            for k in sorted(open_keys, key=lambda k: -(shares[k] - int(shares[k])))[:remaining]:
                left[k] += 1
                given += 1
        remaining -= given
    return left


# --- scoring a coding sheet --------------------------------------------------------------

@dataclass
class CodingScores:
    """Theme detection scored against a coding sheet.

    Attributes
    ----------
    scores
        One row per theme, then ``macro`` (mean over themes with a positive code):
        :data:`SCORE_COLUMNS` — ``n_units`` coded, ``n_positive`` coded 1, ``tp, fp, fn``,
        ``precision, recall, f1`` and ``f1_low, f1_high`` (a 95 % bootstrap interval over
        units).
    errors
        One row per false positive or false negative: :data:`ERROR_COLUMNS` — ``terms``
        are the lexicon terms that matched (``term×n;…``, empty for a miss).
    """

    scores: pd.DataFrame
    errors: pd.DataFrame


def read_coding(coded: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """A coding sheet checked and normalised: ``unit_id`` (str), ``text``, one nullable
    0/1 column per coded theme. Raises :class:`CodingError` naming the column or row of an
    unknown theme column, a code other than 0 / 1 / blank, a duplicate unit id or a sheet
    with nothing coded."""
    themes = _themes(lexicon)
    for column in ("unit_id", "text"):
        if column not in coded:
            raise CodingError(f"coding sheet: no '{column}' column (columns: {', '.join(map(str, coded.columns))})")
    extra = [c for c in coded.columns if c not in ("unit_id", "text", "note", *themes)]
    if extra:
        raise CodingError(f"coding sheet: unknown theme column(s) {', '.join(map(str, extra))}; "
                          f"the lexicon's themes are {', '.join(themes)}")
    sheet = coded.copy()
    sheet["unit_id"] = sheet["unit_id"].astype(str)
    duplicated = sheet.loc[sheet["unit_id"].duplicated(), "unit_id"].unique()
    if len(duplicated):
        raise CodingError(f"coding sheet: duplicate unit_id {', '.join(duplicated[:5])}")
    coded_themes = [t for t in themes if t in sheet]
    for theme in coded_themes:
        values = pd.to_numeric(sheet[theme].replace({"": pd.NA}), errors="coerce")
        bad = sheet[(values.isna() & sheet[theme].notna() & (sheet[theme].astype(str).str.strip() != ""))
                    | ~values.isin([0, 1]) & values.notna()]
        if len(bad):
            row = bad.iloc[0]
            code = row[theme]
            code = code.item() if isinstance(code, np.generic) else code
            code = int(code) if isinstance(code, float) and code.is_integer() else code
            raise CodingError(f"coding sheet: column '{theme}', unit_id {row['unit_id']}: code {code!r} "
                              "is not 0, 1 or blank")
        sheet[theme] = values.astype("Int64")
    if not coded_themes or sheet[coded_themes].isna().all().all():
        raise CodingError("coding sheet: no coded rows (every theme cell is blank)")
    return sheet[["unit_id", "text", *coded_themes]]


def detect_themes(sheet: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """The package's theme detection on a sheet's texts: one row per unit, theme and
    matched term (``unit_id, theme, term, n``)."""
    from .text.themes import theme_matches

    units = pd.DataFrame({"doc_id": "", "section_id": "", "paragraph_id": sheet["unit_id"].astype(str),
                          "role": "", "text": sheet["text"].astype(str)})
    matches = theme_matches(units, lexicon)
    return matches.rename(columns={"paragraph_id": "unit_id"})[["unit_id", "theme", "term", "n"]]


def _f1(tp, fp, fn):
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)


def score_coding(coded: pd.DataFrame, lexicon=None, *, n_boot: int = 1000, random_state: int = 0) -> CodingScores:
    """Precision, recall and F1 of theme detection against hand coding, per theme.

    Parameters
    ----------
    coded
        A filled coding sheet: ``unit_id, text`` and one column per theme with 1, 0 or
        blank (not coded); an optional ``note`` column is ignored.
    lexicon
        The lexicon whose detection is scored (see :func:`govanalysis.load_lexicon`).
    n_boot, random_state
        Bootstrap resamples of the units for the F1 intervals, and their seed.

    Returns
    -------
    CodingScores
        ``scores`` (per theme and macro) and ``errors`` (every false positive and negative
        with the terms that matched).
    """
    if not isinstance(n_boot, int) or isinstance(n_boot, bool) or n_boot < 0:
        raise ValueError(f"n_boot: must be a whole number >= 0, not {n_boot!r}")
    sheet = read_coding(coded, lexicon)
    themes = [c for c in sheet.columns if c not in ("unit_id", "text")]
    matches = detect_themes(sheet, lexicon)
    found = {(u, t) for u, t in zip(matches["unit_id"], matches["theme"])}
    items = (matches.assign(item=matches["term"] + "×" + matches["n"].astype(str))
             .groupby(["unit_id", "theme"], sort=False)["item"].agg(";".join))
    rng = np.random.default_rng(random_state)
    rows, errors, boot_f1 = [], [], []
    for theme in themes:
        coded_rows = sheet[sheet[theme].notna()]
        truth = coded_rows[theme].to_numpy(dtype=int) == 1
        predicted = np.array([(u, theme) in found for u in coded_rows["unit_id"]], dtype=bool)
        tp, fp, fn = int((truth & predicted).sum()), int((~truth & predicted).sum()), int((truth & ~predicted).sum())
        if n_boot and len(truth):
            index = rng.integers(0, len(truth), size=(n_boot, len(truth)))
            t, p = truth[index], predicted[index]
            f1s = _f1((t & p).sum(1), (~t & p).sum(1), (t & ~p).sum(1))
        else:
            f1s = np.full(max(n_boot, 1), np.nan)
        boot_f1.append(f1s if truth.any() else None)
        low, high = (np.nanpercentile(f1s, [2.5, 97.5]) if np.isfinite(f1s).any() else (np.nan, np.nan))
        rows.append({"theme": theme, "n_units": len(truth), "n_positive": int(truth.sum()), "tp": tp, "fp": fp,
                     "fn": fn, "precision": tp / (tp + fp) if tp + fp else np.nan,
                     "recall": tp / (tp + fn) if tp + fn else np.nan, "f1": float(_f1(tp, fp, fn)),
                     "f1_low": low, "f1_high": high})
        for unit, text, t, p in zip(coded_rows["unit_id"], coded_rows["text"], truth, predicted):
            if t != p:
                errors.append({"unit_id": unit, "theme": theme, "error": "false_positive" if p else "false_negative",
                               "terms": items.get((unit, theme), ""), "text": text})
    scores = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    positive = scores["n_positive"] > 0
    macro_boot = [b for b in boot_f1 if b is not None]
    with warnings.catch_warnings():  # a resample with no positive unit for any theme has no macro F1
        warnings.simplefilter("ignore", RuntimeWarning)
        macro_f1 = np.nanmean(np.vstack(macro_boot), axis=0) if macro_boot else np.array([np.nan])
    low, high = np.nanpercentile(macro_f1, [2.5, 97.5]) if np.isfinite(macro_f1).any() else (np.nan, np.nan)
    macro = {"theme": "macro", "n_units": int(scores["n_units"].max()), "n_positive": int(scores["n_positive"].sum()),
             "tp": int(scores["tp"].sum()), "fp": int(scores["fp"].sum()), "fn": int(scores["fn"].sum()),
             "precision": scores.loc[positive, "precision"].mean(), "recall": scores.loc[positive, "recall"].mean(),
             "f1": scores.loc[positive, "f1"].mean(), "f1_low": low, "f1_high": high}
    scores = pd.concat([scores, pd.DataFrame([macro])], ignore_index=True)
    scores[["precision", "recall", "f1", "f1_low", "f1_high"]] = scores[
        ["precision", "recall", "f1", "f1_low", "f1_high"]].astype(float).round(4)
    return CodingScores(scores, pd.DataFrame(errors, columns=ERROR_COLUMNS))


def coder_agreement(a: pd.DataFrame, b: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """Agreement of two coders on the units and themes both coded.

    Returns
    -------
    pandas.DataFrame
        One row per theme, then ``all`` (every unit × theme cell): ``theme, n_units,
        agreement`` (share of units coded alike), ``alpha`` (Krippendorff's alpha,
        nominal; NA when neither coder varies) and ``f1`` (one coder scored against the
        other; symmetric, so it is the ceiling to read a detector's F1 against). For
        ``all``, ``f1`` is the mean over themes with a positive code (as the macro F1 of
        :func:`score_coding`).
    """
    import krippendorff

    first, second = read_coding(a, lexicon), read_coding(b, lexicon)
    both = first.merge(second, on="unit_id", suffixes=("_a", "_b"))
    if both.empty:
        raise CodingError("coder_agreement: the two sheets share no unit_id")
    themes = [t for t in first.columns if t in second.columns and t not in ("unit_id", "text")]
    rows, cells_a, cells_b = [], [], []
    for theme in themes:
        pair = both[[f"{theme}_a", f"{theme}_b"]].dropna().to_numpy(dtype=float)
        cells_a += list(pair[:, 0])
        cells_b += list(pair[:, 1])
        rows.append({"theme": theme, "n_units": len(pair), **_agreement(pair, krippendorff)})
    f1s = [r["f1"] for r in rows if np.isfinite(r["f1"])]
    rows.append({"theme": "all", "n_units": len(both), **_agreement(np.column_stack([cells_a, cells_b]), krippendorff),
                 "f1": float(np.mean(f1s)) if f1s else np.nan})
    return (pd.DataFrame(rows, columns=["theme", "n_units", "agreement", "alpha", "f1"])
            .round({"agreement": 4, "alpha": 4, "f1": 4}))


def _agreement(pair: np.ndarray, krippendorff) -> dict:
    if not len(pair):
        return {"agreement": np.nan, "alpha": np.nan, "f1": np.nan}
    a, b = pair[:, 0] == 1, pair[:, 1] == 1
    f1 = float(_f1((a & b).sum(), (~a & b).sum(), (a & ~b).sum()))
    agreement = float((pair[:, 0] == pair[:, 1]).mean())
    if len(np.unique(pair)) < 2:
        return {"agreement": agreement, "alpha": np.nan, "f1": f1}
    return {"agreement": agreement, "f1": f1,
            "alpha": float(krippendorff.alpha(reliability_data=pair.T, level_of_measurement="nominal"))}


def suggest_terms(coded: pd.DataFrame, tokens: pd.DataFrame | None = None, lexicon=None, *,
                  n: int = 10) -> pd.DataFrame:
    """Words the lexicon may lack, and lexicon terms that fire mostly where coders said no.

    Parameters
    ----------
    coded
        A filled coding sheet (see :func:`score_coding`).
    tokens
        Tokens of the sheet's texts with a ``unit_id`` column; tokenized with the default
        :class:`govanalysis.Tokenizer` when not given.
    n
        Suggestions of each kind per theme.

    Returns
    -------
    pandas.DataFrame
        One row per suggestion: ``theme, kind`` (``add``: among the words most distinctive
        of positively coded units by weighted log-odds and not in the theme's terms;
        ``review``: a term whose matches fall mostly in units coded 0), ``term, score``
        (z of the log-odds, or the share of matches on negatives), ``n_positive,
        n_negative`` (coded units holding the word or term).
    """
    from .text.compare import log_odds
    from .text.themes import load_lexicon
    from .text.tokens import tokenize

    sheet = read_coding(coded, lexicon)
    terms = load_lexicon(lexicon)
    if tokens is None:
        units = sheet.assign(doc_id=sheet["unit_id"], section_id=sheet["unit_id"], paragraph_id=sheet["unit_id"],
                             role="")
        tokens = tokenize(units).rename(columns={"paragraph_id": "unit_id"})
    tokens = tokens.assign(unit_id=tokens["unit_id"].astype(str))
    matches = detect_themes(sheet, lexicon)
    rows = []
    for theme in [c for c in sheet.columns if c not in ("unit_id", "text")]:
        label = sheet[["unit_id", theme]].dropna()
        positive = set(label.loc[label[theme] == 1, "unit_id"])
        negative = set(label.loc[label[theme] == 0, "unit_id"])
        if positive and negative:
            mine = tokens[tokens["unit_id"].isin(positive | negative)]
            mine = mine.assign(group=np.where(mine["unit_id"].isin(positive), "positive", "negative"))
            odds = log_odds(mine, by="group")
            odds = odds[(odds["group"] == "positive") & ~odds["term"].isin(terms[theme])
                        & (odds["term"].str.len() >= 2)]
            holders = mine.groupby("token", observed=True)["unit_id"].agg(set)
            for row in odds.head(n).itertuples():
                units = holders.get(row.term, set())
                rows.append({"theme": theme, "kind": "add", "term": row.term, "score": round(float(row.z), 4),
                             "n_positive": len(units & positive), "n_negative": len(units & negative)})
        fired = matches[matches["theme"] == theme].groupby("term")["unit_id"].agg(set)
        review = []
        for term, units in fired.items():
            on_pos, on_neg = len(units & positive), len(units & negative)
            if on_neg > on_pos:
                review.append({"theme": theme, "kind": "review", "term": term,
                               "score": round(on_neg / (on_pos + on_neg), 4), "n_positive": on_pos,
                               "n_negative": on_neg})
        rows += sorted(review, key=lambda r: (-r["n_negative"], r["term"]))[:n]
    return pd.DataFrame(rows, columns=["theme", "kind", "term", "score", "n_positive", "n_negative"])


# --- topic intrusion tests (oolong) -------------------------------------------------------

@dataclass
class IntrusionTest:
    """A coding sheet for humans and its answer key (keep the key away from the coder).

    Attributes
    ----------
    sheet
        One row per item, with an empty ``answer`` column to fill with the chosen word
        (word intrusion) or the chosen option number (topic intrusion).
    key
        One row per item: which answer is the intruder, and what a score needs.
    """

    sheet: pd.DataFrame
    key: pd.DataFrame


def word_intrusion(model, *, n_top: int = 5, random_state: int = 0) -> IntrusionTest:
    """Word-intrusion test (Chang et al. 2009): each topic's top words plus one intruder.

    The intruder is a top word of another topic that is not among this topic's listed
    terms; a coder who can spot it shows the topic is coherent.

    Returns
    -------
    IntrusionTest
        ``sheet``: ``item_id, word_1 … word_{n_top+1}`` (shuffled), ``answer``;
        ``key``: ``item_id, topic, intruder``.
    """
    if not isinstance(n_top, int) or isinstance(n_top, bool) or n_top < 2:
        raise ValueError(f"n_top: must be a whole number >= 2, not {n_top!r}")
    terms = model.topic_terms.sort_values(["topic", "rank"], kind="stable")
    listed = terms.groupby("topic", sort=True)["term"].agg(list)
    if len(listed) < 2:
        raise ValueError("word_intrusion: needs a model with at least 2 topics")
    rng = np.random.default_rng(random_state)
    sheet_rows, key_rows = [], []
    for number, (topic, words) in enumerate(listed.items(), start=1):
        top = words[:n_top]
        others = sorted({w for t, ws in listed.items() if t != topic for w in ws[:n_top]} - set(words))
        if len(top) < n_top or not others:
            continue
        intruder = others[rng.integers(len(others))]
        shown = [*top, intruder]
        shown = [shown[i] for i in rng.permutation(len(shown))]
        item = f"w{number:03d}"
        sheet_rows.append({"item_id": item, **{f"word_{i}": w for i, w in enumerate(shown, start=1)}, "answer": ""})
        key_rows.append({"item_id": item, "topic": topic, "intruder": intruder})
    return IntrusionTest(pd.DataFrame(sheet_rows), pd.DataFrame(key_rows, columns=["item_id", "topic", "intruder"]))


def score_word_intrusion(answers: pd.DataFrame, key: pd.DataFrame) -> pd.DataFrame:
    """One row per answered item: ``item_id, topic, intruder, answer, correct``; the mean
    of ``correct`` is the model precision of Chang et al."""
    table = key.merge(answers[["item_id", "answer"]], on="item_id", how="inner")
    table = table[table["answer"].fillna("").astype(str).str.strip() != ""]
    if table.empty:
        raise CodingError("word intrusion: no answered items (fill the answer column with the odd word)")
    table["correct"] = table["answer"].astype(str).str.strip() == table["intruder"]
    return table.reset_index(drop=True)


def topic_intrusion(model, units: pd.DataFrame, *, n: int = 20, n_terms: int = 5,
                    random_state: int = 0) -> IntrusionTest:
    """Topic-intrusion test: a unit's three heaviest topics plus one it barely uses.

    Parameters
    ----------
    model
        A fitted :class:`govanalysis.TopicModel`.
    units
        The units it was fitted on, with their id column and ``text``.
    n
        Units to draw (at random among those with at least 3 topics of positive weight).
    n_terms
        Top terms that describe each topic option.

    Returns
    -------
    IntrusionTest
        ``sheet``: ``item_id, text, option_1 … option_4`` (topics as their top terms, in
        random order), ``answer`` (the option number of the odd topic); ``key``: ``item_id,
        unit_id, intruder`` (its option number) and ``option_1_weight … option_4_weight``.
    """
    weights = model.unit_topics
    id_col = next((c for c in weights.columns if c.endswith("_id") and c != "doc_id"), "doc_id")
    if id_col not in units or "text" not in units:
        raise ValueError(f"units: needs {id_col} and text columns")
    labels = (model.topic_terms.sort_values(["topic", "rank"]).groupby("topic")["term"]
              .agg(lambda t: " ".join(list(t)[:n_terms])))
    wide = weights.pivot_table(index=id_col, columns="topic", values="weight", fill_value=0.0).sort_index()
    if wide.shape[1] < 4:
        raise ValueError("topic_intrusion: needs a model with at least 4 topics")
    eligible = wide[(wide > 0).sum(axis=1) >= 3]
    rng = np.random.default_rng(random_state)
    chosen = eligible.index[np.sort(rng.choice(len(eligible), size=min(n, len(eligible)), replace=False))]
    texts = units.drop_duplicates(id_col).set_index(id_col)["text"]
    sheet_rows, key_rows = [], []
    for number, unit in enumerate(chosen, start=1):
        row = wide.loc[unit].sort_values(ascending=False, kind="stable")
        top, rest = list(row.index[:3]), list(row.index[len(row) // 2:])
        intruder = rest[rng.integers(len(rest))]
        options = [*top, intruder]
        options = [options[i] for i in rng.permutation(4)]
        item = f"t{number:03d}"
        sheet_rows.append({"item_id": item, "text": texts.get(unit, ""),
                           **{f"option_{i}": labels[t] for i, t in enumerate(options, start=1)}, "answer": ""})
        key_rows.append({"item_id": item, "unit_id": unit, "intruder": options.index(intruder) + 1,
                         **{f"option_{i}_weight": float(row[t]) for i, t in enumerate(options, start=1)}})
    return IntrusionTest(pd.DataFrame(sheet_rows), pd.DataFrame(key_rows))


def score_topic_intrusion(answers: pd.DataFrame, key: pd.DataFrame, *, floor: float = 1e-4) -> pd.DataFrame:
    """One row per answered item: ``item_id, unit_id, intruder, answer, correct,
    topic_log_odds`` — log θ(intruder) − log θ(chosen) (0 when the intruder is found,
    more negative the worse the choice; θ floored at ``floor``), as in oolong."""
    table = key.merge(answers[["item_id", "answer"]], on="item_id", how="inner")
    table["answer"] = pd.to_numeric(table["answer"], errors="coerce")
    table = table[table["answer"].isin([1, 2, 3, 4])]
    if table.empty:
        raise CodingError("topic intrusion: no answered items (answer with the option number 1–4)")
    chosen = table.apply(lambda r: r[f"option_{int(r['answer'])}_weight"], axis=1)
    odd = table.apply(lambda r: r[f"option_{int(r['intruder'])}_weight"], axis=1)
    table["correct"] = table["answer"].astype(int) == table["intruder"]
    table["topic_log_odds"] = (np.log(np.maximum(odd, floor)) - np.log(np.maximum(chosen, floor))).round(4)
    return table[["item_id", "unit_id", "intruder", "answer", "correct", "topic_log_odds"]].reset_index(drop=True)
