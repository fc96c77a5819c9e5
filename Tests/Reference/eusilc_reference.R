#!/usr/bin/env Rscript
## Golden reference numbers for simrun, computed with R (laeken, survey, boot).
##
## Run from the repository root:
##     Rscript Tests/Reference/eusilc_reference.R
##
## Writes
##     Tests/Fixtures/eusilc/eusilc.csv       laeken's `eusilc` data set as CSV
##     Tests/Fixtures/eusilc/reference.json   reference values (full precision)
##
## R is only needed to regenerate these files; simrun never runs R.
## See Tests/Reference/README.md for the exact definitions behind each number.

suppressPackageStartupMessages({
  library(laeken)
  library(survey)
  library(boot)
})

## ---------------------------------------------------------------- paths ----
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
repo_root <- if (length(script) == 1L) {
  normalizePath(file.path(dirname(script), "..", ".."))
} else {
  getwd()
}
fixture_dir <- file.path(repo_root, "Tests", "Fixtures", "eusilc")
dir.create(fixture_dir, recursive = TRUE, showWarnings = FALSE)
csv_path <- file.path(fixture_dir, "eusilc.csv")
json_path <- file.path(fixture_dir, "reference.json")

## Survey package: keep its default lonely-PSU rule explicitly.
options(survey.lonely.psu = "fail")

## ----------------------------------------------------------------- data ----
data(eusilc, package = "laeken")
stopifnot(nrow(eusilc) == 14827L, !is.unsorted(eusilc$db030))

## ------------------------------------------------- number formatting ----
## Shortest decimal representation (15, 16 or 17 significant digits) that
## parses back to exactly the same double.
fmt_num <- function(x) {
  out <- character(length(x))
  ok <- is.finite(x)
  out[!ok] <- NA_character_
  xs <- x[ok]
  xs[xs == 0] <- 0  # write negative zero (present in hy130n, hy145n) as 0
  s <- sprintf("%.15g", xs)
  bad <- as.numeric(s) != xs
  s[bad] <- sprintf("%.16g", xs[bad])
  bad <- as.numeric(s) != xs
  s[bad] <- sprintf("%.17g", xs[bad])
  stopifnot(all(as.numeric(s) == xs))
  out[ok] <- s
  out
}

## ------------------------------------------------------------ CSV file ----
## write.csv(row.names = FALSE), factors as their labels, NA as NA.  Double
## columns are pre-formatted with fmt_num() because write.csv's default 15
## significant digits does not round-trip eqIncome, db090 and rb050.
csv_df <- eusilc
quote_cols <- integer(0)
for (j in seq_along(csv_df)) {
  col <- csv_df[[j]]
  if (is.factor(col)) {
    csv_df[[j]] <- as.character(col)
    quote_cols <- c(quote_cols, j)
  } else if (is.double(col)) {
    csv_df[[j]] <- fmt_num(col)
  }
}
write.csv(csv_df, csv_path, row.names = FALSE, quote = quote_cols, na = "NA")

## Check that the CSV reproduces the R data bit for bit.
back <- read.csv(csv_path, stringsAsFactors = FALSE)
for (nm in names(eusilc)) {
  a <- eusilc[[nm]]
  b <- back[[nm]]
  if (is.factor(a)) a <- as.character(a)
  if (is.factor(a) || is.character(a)) b <- as.character(b)
  if (!identical(as.vector(a), as.vector(b)) &&
      !(is.numeric(a) && is.numeric(b) && identical(as.double(a), as.double(b)))) {
    stop("CSV round trip failed for column ", nm)
  }
}

## --------------------------------------------------------- JSON writer ----
## Named list -> object; unnamed list -> array; atomic of length != 1 -> array;
## atomic of length 1 -> scalar (wrap with arr() to force an array).
arr <- function(x) structure(x, json_array = TRUE)
json_str <- function(s) {
  s <- gsub("\\\\", "\\\\\\\\", s)
  s <- gsub("\"", "\\\\\"", s)
  s <- gsub("\n", "\\\\n", s)
  s <- gsub("\t", "\\\\t", s)
  paste0("\"", s, "\"")
}
json_scalar <- function(v) {
  if (is.null(v) || (length(v) == 1L && is.na(v))) return("null")
  if (is.logical(v)) return(if (v) "true" else "false")
  if (is.factor(v)) v <- as.character(v)
  if (is.character(v)) return(json_str(v))
  if (is.numeric(v)) {
    if (!is.finite(v)) return("null")
    return(fmt_num(as.double(v)))
  }
  stop("unsupported type: ", class(v))
}
to_json <- function(x, indent = 0L) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1L)
  if (is.list(x)) {
    if (length(x) == 0L) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) {
      items <- vapply(seq_along(x), function(i)
        paste0(pad1, json_str(names(x)[i]), ": ", to_json(x[[i]], indent + 1L)),
        character(1))
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad, "}"))
    }
    items <- vapply(x, function(e) paste0(pad1, to_json(e, indent + 1L)),
                    character(1))
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", pad, "]"))
  }
  force_arr <- isTRUE(attr(x, "json_array"))
  if (!is.null(names(x)) && !force_arr) {
    return(to_json(as.list(x), indent))
  }
  if (length(x) == 1L && !force_arr) return(json_scalar(unname(x)))
  vals <- vapply(seq_along(x), function(i) json_scalar(unname(x[i])), character(1))
  paste0("[", paste(vals, collapse = ", "), "]")
}

## ------------------------------------------------------------- helpers ----
y <- eusilc$eqIncome
w <- eusilc$rb050
probs <- c(0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9)
breakdowns <- c("db040", "rb090")

## laeken breakdown result (data.frame stratum/value) -> named list, level order
by_stratum <- function(ind) {
  vbs <- ind$valueByStratum
  stopifnot(identical(as.character(vbs$stratum), ind$strata))
  as.list(setNames(vbs$value, as.character(vbs$stratum)))
}
## apply f(y, w) within each level of a grouping factor
per_group <- function(g, f) {
  lev <- levels(g)
  setNames(lapply(lev, function(l) { i <- g == l; f(y[i], w[i]) }), lev)
}
scale_list <- function(l, k) lapply(l, function(v) v * k)

## ----------------------------------------------------------- laeken ----
lk <- list()

g <- gini("eqIncome", weights = "rb050", data = eusilc)
lk$gini <- list(value = g$value, value_fraction = g$value / 100)
for (b in breakdowns) {
  gb <- gini("eqIncome", weights = "rb050", breakdown = b, data = eusilc)
  stopifnot(gb$value == g$value)
  lk$gini[[paste0("by_", b)]] <- by_stratum(gb)
  lk$gini[[paste0("by_", b, "_fraction")]] <- scale_list(by_stratum(gb), 1 / 100)
}

at <- arpt("eqIncome", weights = "rb050", data = eusilc)
lk$arpt <- list(value = at, p = 0.6,
                note = paste("0.6 * laeken::weightedMedian(eqIncome, rb050).",
                             "by_<var>: arpt() has no breakdown argument; these are",
                             "0.6 * weighted median computed within each group",
                             "(each group's own threshold)."))
for (b in breakdowns) {
  lk$arpt[[paste0("by_", b)]] <- per_group(eusilc[[b]], function(yy, ww)
    arpt(yy, ww))
}

a <- arpr("eqIncome", weights = "rb050", data = eusilc)
stopifnot(a$threshold == at)
lk$arpr <- list(value = a$value, value_fraction = a$value / 100,
                threshold = a$threshold,
                note = paste("Percent of weight with eqIncome < threshold (strict).",
                             "by_<var>: laeken breakdown, which uses the NATIONAL",
                             "threshold for every group. by_<var>_own_threshold:",
                             "laeken::arpr run on each group's subset (group's own",
                             "threshold)."))
for (b in breakdowns) {
  ab <- arpr("eqIncome", weights = "rb050", breakdown = b, data = eusilc)
  stopifnot(ab$value == a$value, ab$threshold == a$threshold)
  lk$arpr[[paste0("by_", b)]] <- by_stratum(ab)
  lk$arpr[[paste0("by_", b, "_fraction")]] <- scale_list(by_stratum(ab), 1 / 100)
  lk$arpr[[paste0("by_", b, "_own_threshold")]] <-
    per_group(eusilc[[b]], function(yy, ww) arpr(yy, ww)$value)
}

q <- qsr("eqIncome", weights = "rb050", data = eusilc)
qq <- incQuintile("eqIncome", weights = "rb050", data = eusilc)
lk$qsr <- list(value = q$value, quintile_q20 = unname(qq[1]),
               quintile_q80 = unname(qq[2]))
for (b in breakdowns) {
  qb <- qsr("eqIncome", weights = "rb050", breakdown = b, data = eusilc)
  stopifnot(qb$value == q$value)
  lk$qsr[[paste0("by_", b)]] <- by_stratum(qb)
}

r <- rmpg("eqIncome", weights = "rb050", data = eusilc)
poor <- y < r$threshold
lk$rmpg <- list(value = r$value, value_fraction = r$value / 100,
                threshold = r$threshold,
                median_of_poor = weightedMedian(y[poor], w[poor]),
                note = paste("100 * (threshold - weightedMedian of incomes < threshold)",
                             "/ threshold. by_<var>: laeken breakdown, NATIONAL",
                             "threshold used in every group."))
for (b in breakdowns) {
  rb <- rmpg("eqIncome", weights = "rb050", breakdown = b, data = eusilc)
  stopifnot(rb$value == r$value)
  lk$rmpg[[paste0("by_", b)]] <- by_stratum(rb)
}

lk$weighted_mean <- list(value = weightedMean(y, w))
lk$weighted_median <- list(value = weightedMedian(y, w))
lk$weighted_quantile <- list(probs = probs, value = weightedQuantile(y, w, probs))
for (b in breakdowns) {
  lk$weighted_mean[[paste0("by_", b)]] <-
    per_group(eusilc[[b]], function(yy, ww) weightedMean(yy, ww))
  lk$weighted_median[[paste0("by_", b)]] <-
    per_group(eusilc[[b]], function(yy, ww) weightedMedian(yy, ww))
  lk$weighted_quantile[[paste0("by_", b)]] <-
    per_group(eusilc[[b]], function(yy, ww) weightedQuantile(yy, ww, probs))
}

## ------------------------------------------------ FGT at a fixed line ----
z <- 10000
fgt <- function(yy, ww, alpha) sum(ww * ((z - yy) / z)^alpha * (yy < z)) / sum(ww)
fg <- list(z = z,
           formula = "sum(w * ((z - y)/z)^alpha * (y < z)) / sum(w), strict y < z",
           weights = "rb050")
for (alpha in 0:2) {
  key <- paste0("fgt", alpha)
  fg[[key]] <- list(alpha = alpha, value = fgt(y, w, alpha))
  for (b in breakdowns) {
    fg[[key]][[paste0("by_", b)]] <-
      per_group(eusilc[[b]], function(yy, ww) fgt(yy, ww, alpha))
  }
}

## -------------------------------------------------------------- survey ----
eusilc$poor_z <- as.numeric(eusilc$eqIncome < z)
eusilc$fgt1_z <- ((z - eusilc$eqIncome) / z) * (eusilc$eqIncome < z)
eusilc$fgt2_z <- ((z - eusilc$eqIncome) / z)^2 * (eusilc$eqIncome < z)

svystat_list <- function(s, k = 1L) {
  list(value = unname(coef(s)[k]), se = unname(SE(s)[k]),
       var = unname(as.matrix(vcov(s))[k, k]))
}

survey_block <- function(des, description, call) {
  out <- list(description = description, call = call,
              n_psu = length(unique(des$cluster[, 1])),
              n_strata = length(unique(des$strata[, 1])),
              degf = degf(des))
  out$svymean_eqIncome <- svystat_list(svymean(~eqIncome, des))
  out$svymean_poor_z10000 <- c(
    svystat_list(svymean(~I(eqIncome < 10000), des), 2L),
    list(note = "svymean(~I(eqIncome < 10000)) TRUE column = FGT(0) at z = 10000"))
  s_poor_num <- svymean(~poor_z, des)
  stopifnot(abs(coef(s_poor_num) - out$svymean_poor_z10000$value) < 1e-15,
            abs(SE(s_poor_num) - out$svymean_poor_z10000$se) < 1e-15)
  out$svymean_fgt1_z10000 <- svystat_list(svymean(~fgt1_z, des))
  out$svymean_fgt2_z10000 <- svystat_list(svymean(~fgt2_z, des))
  out$svytotal_eqIncome <- svystat_list(svytotal(~eqIncome, des))
  sq <- svyquantile(~eqIncome, des, quantiles = probs)$eqIncome
  out$svyquantile_default <- list(
    qrule = "math", interval.type = "mean (Woodruff)", alpha = 0.05,
    probs = probs,
    value = unname(sq[, "quantile"]),
    ci_lower = unname(sq[, 2]), ci_upper = unname(sq[, 3]),
    se = unname(sq[, "se"]))
  out
}

des_strat <- svydesign(ids = ~db030, strata = ~db040, weights = ~rb050,
                       data = eusilc)
des_nostrat <- svydesign(ids = ~db030, weights = ~rb050, data = eusilc)

sv <- list(
  lonely_psu_option = getOption("survey.lonely.psu"),
  fpc = "none (with-replacement PSU sampling approximation)",
  stratified = survey_block(des_strat,
    "households (db030) as PSUs, regions (db040) as strata, weights rb050, no fpc",
    "svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = eusilc)"),
  unstratified = survey_block(des_nostrat,
    "households (db030) as PSUs, no strata, weights rb050, no fpc",
    "svydesign(ids = ~db030, weights = ~rb050, data = eusilc)")
)

## ------------------------------------- quantile definition examples ----
## Tiny inputs where the cumulative weight share hits p exactly (or nearly),
## to pin down the rules; see Tests/Reference/README.md.
qexample <- function(x, w, p) {
  list(x = arr(x), w = arr(w), probs = arr(p),
       cum_share = arr(cumsum(w[order(x)]) / sum(w)),
       laeken_weightedQuantile = arr(weightedQuantile(x, w, p)),
       survey_qrule_math = arr(sapply(p, function(pp) survey:::qrule_math(x, w, pp))),
       survey_qrule_school = arr(sapply(p, function(pp) survey:::qrule_school(x, w, pp))))
}
qdef <- list(
  note = paste("laeken::weightedQuantile vs survey qrule 'math' (svyquantile default)",
               "and 'school' on small inputs. Includes exact hits of the cumulative",
               "share, ties, a zero weight, a floating-point near-hit",
               "(0.1 + 0.2 > 0.3) and survey's quirk for p below the first share."),
  equal_weights = qexample(c(1, 2, 3, 4), c(1, 1, 1, 1), c(0, 0.25, 0.5, 0.6, 1)),
  ties = qexample(c(10, 20, 20, 30), c(1, 2, 3, 4), c(0.05, 0.1, 0.3, 0.6, 0.7)),
  zero_weight = qexample(c(3, 1, 2), c(0, 1, 1), c(0.25, 0.5, 0.75)),
  float_near_hit = qexample(c(1, 2, 3), c(0.1, 0.2, 0.7), c(0.1, 0.3, 0.5)),
  below_first_share = qexample(c(1, 2, 3), c(1, 1, 1), c(0.1, 0.2, 0.5))
)

## ------------------------------------------------- laeken bootstrap ----
R_boot <- 1000L
seeds <- c(123L, 456L, 789L)
X_cal <- calibVars(eusilc$db040)

boot_entry <- function(ind, bootType, seed) {
  args <- list("eqIncome", weights = "rb050", design = "db040",
               cluster = "db030", data = eusilc, indicator = ind,
               R = R_boot, bootType = bootType, seed = seed)
  if (bootType == "calibrate") args$X <- X_cal
  v <- do.call(laeken::variance, args)
  list(seed = seed, R = R_boot, bootType = bootType, ciType = "perc",
       alpha = 0.05, value = v$value, var = v$var, se = sqrt(v$var),
       ci_lower = unname(v$ci[1]), ci_upper = unname(v$ci[2]))
}

## Same resampling as bootVar (same seed => same resampled households) but on
## the untruncated income; also reproduces bootVar's truncated run to check.
manual_boot <- function(ind, seed, truncate) {
  inc <- if (truncate) as.numeric(as.integer(eusilc$eqIncome)) else eusilc$eqIncome
  dat <- data.frame(inc = inc)
  dat$weight <- eusilc$rb050
  dat$cluster <- eusilc$db030
  ## getFun's methods are unregistered S3 methods: fetch the method directly
  getFunMethod <- get(paste0("getFun.", class(ind)[1]), envir = asNamespace("laeken"))
  fun <- laeken:::getBootFun(FALSE, getFunMethod(ind, FALSE))
  set.seed(seed)
  b <- laeken:::clusterBoot(dat, fun, R_boot, strata = eusilc$db040,
                            cluster = eusilc$db030,
                            p = if (inherits(ind, "arpr")) ind$p else NULL,
                            aux = NULL, totals = NULL, rs = NULL, na.rm = FALSE)
  ci <- boot.ci(b, conf = 0.95, type = "perc")$percent[4:5]
  list(t0 = b$t0, var = var(b$t[, 1]), se = sd(b$t[, 1]),
       ci_lower = ci[1], ci_upper = ci[2],
       replicate_mean = mean(b$t[, 1]))
}

bt <- list(
  call = paste0("laeken::variance(\"eqIncome\", weights = \"rb050\", design = \"db040\", ",
                "cluster = \"db030\", data = eusilc, indicator = <gini|arpr>, R = 1000, ",
                "bootType = <type>, seed = <seed>[, X = calibVars(eusilc$db040)])"),
  method = paste("Nonparametric bootstrap via boot::boot: households (db030) resampled",
                 "with replacement independently within each region (db040), n_h",
                 "draws in stratum h; all persons of a drawn household enter with",
                 "their weights. naive: weights unchanged. calibrate: weights of each",
                 "replicate raked (calibWeights, method raking) to the full-sample",
                 "weighted region totals. var = sample variance (denominator R-1) of",
                 "the R replicate estimates; CI = boot.ci type perc (95%)."),
  caveat = paste("laeken 0.5.2 bootVar() does inc <- as.numeric(as.integer(inc)),",
                 "i.e. replicates are computed on incomes truncated toward zero;",
                 "'value' is the untruncated point estimate. The *_untruncated",
                 "entries repeat the identical resampling (same seed) on the",
                 "untruncated incomes."),
  R = R_boot, seeds = seeds
)

for (nm in c("gini", "arpr")) {
  ind <- if (nm == "gini") g else a
  entries <- lapply(seeds, function(s) boot_entry(ind, "naive", s))
  names(entries) <- paste0("seed_", seeds)
  ses <- vapply(entries, function(e) e$se, numeric(1))
  chk <- manual_boot(ind, seeds[1], truncate = TRUE)
  stopifnot(isTRUE(all.equal(chk$var, entries[[1]]$var, tolerance = 1e-12)),
            isTRUE(all.equal(chk$ci_lower, entries[[1]]$ci_lower, tolerance = 1e-12)))
  untr <- lapply(seeds, function(s) {
    m <- manual_boot(ind, s, truncate = FALSE)
    c(list(seed = s), m)
  })
  names(untr) <- paste0("seed_", seeds)
  bt[[nm]] <- list(
    scale = "percent (laeken units)",
    value = ind$value,
    naive = entries,
    naive_se_mean_over_seeds = mean(ses),
    naive_se_sd_over_seeds = sd(ses),
    naive_t0_truncated_income = chk$t0,
    naive_untruncated = untr,
    calibrate = list(seed_123 = boot_entry(ind, "calibrate", 123L))
  )
}

## ------------------------------------------------------------ output ----
ref <- list(
  metadata = list(
    generator = "Tests/Reference/eusilc_reference.R",
    R_version = R.version.string,
    laeken_version = as.character(packageVersion("laeken")),
    survey_version = as.character(packageVersion("survey")),
    boot_version = as.character(packageVersion("boot")),
    dataset = "data(eusilc, package = \"laeken\") (synthetic Austrian EU-SILC 2006; GPL-2+)",
    csv = "Tests/Fixtures/eusilc/eusilc.csv",
    n_obs = nrow(eusilc),
    n_households = length(unique(eusilc$db030)),
    income = "eqIncome",
    weights = "rb050",
    breakdowns = list(db040 = arr(levels(eusilc$db040)),
                      rb090 = arr(levels(eusilc$rb090))),
    survey_design = paste("survey package: households (db030) are PSUs, regions",
                          "(db040) are strata (stratified block); no fpc"),
    survey_lonely_psu = getOption("survey.lonely.psu"),
    units = paste("laeken gini/arpr/rmpg are in percent (x100); *_fraction",
                  "fields are value/100. qsr is a plain ratio."),
    number_format = "shortest of %.15g/%.16g/%.17g that round-trips to the same double"
  ),
  laeken = lk,
  fgt_fixed_line = fg,
  survey = sv,
  quantile_definition_examples = qdef,
  laeken_bootstrap = bt
)

writeLines(to_json(ref), json_path, useBytes = TRUE)
cat("wrote", csv_path, "\n")
cat("wrote", json_path, "\n")
