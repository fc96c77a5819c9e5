#!/usr/bin/env Rscript
## Extra golden numbers for simrun's statistics engine (Tests/StatisticsTests),
## beyond Tests/Reference/eusilc_reference.R: domain (by-group) SEs, totals,
## ratios, the SE of a change (two incomes on the same persons), lonely-PSU
## rules, survey's Rao-Wu bootstrap, and inequality indices computed from
## their textbook formulas (independent of simrun's code).
##
## Run from the repository root (R 4.2 with r-cran-laeken and r-cran-survey):
##     Rscript Tests/Reference/statistics_extra.R
## Writes Tests/Fixtures/eusilc/extra-reference.json (about 3 minutes: the
## replicate designs). R is never needed to run the tests.

suppressPackageStartupMessages({
  library(laeken)
  library(survey)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
repo_root <- if (length(script) == 1L) normalizePath(file.path(dirname(script), "..", "..")) else getwd()
out_path <- file.path(repo_root, "Tests", "Fixtures", "eusilc", "extra-reference.json")
lonely_csv <- file.path(repo_root, "Tests", "Fixtures", "statistics", "lonely-psu.csv")

data(eusilc, package = "laeken")
y <- eusilc$eqIncome
w <- eusilc$rb050
z <- 10000

## ---------------------------------------------------------- JSON ----
fmt_num <- function(x) {
  if (!is.finite(x)) return("null")
  if (x == 0) return("0")
  for (d in 15:17) { s <- sprintf(paste0("%.", d, "g"), x); if (as.numeric(s) == x) return(s) }
  s
}
to_json <- function(x, indent = 0L) {
  pad <- strrep("  ", indent); pad1 <- strrep("  ", indent + 1L)
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- vapply(seq_along(x), function(i)
        paste0(pad1, "\"", names(x)[i], "\": ", to_json(x[[i]], indent + 1L)), character(1))
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad, "}"))
    }
    items <- vapply(x, function(e) paste0(pad1, to_json(e, indent + 1L)), character(1))
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", pad, "]"))
  }
  if (is.character(x)) return(if (length(x) == 1L) paste0("\"", x, "\"") else
    paste0("[", paste0("\"", x, "\"", collapse = ", "), "]"))
  if (!is.null(names(x))) return(to_json(as.list(x), indent))
  if (length(x) == 1L) return(fmt_num(x))
  paste0("[", paste(vapply(x, fmt_num, character(1)), collapse = ", "), "]")
}
est <- function(s, k = 1L) list(value = unname(coef(s)[k]), se = unname(SE(s)[k]))

## -------------------------------------------------- design variables ----
eusilc$poor <- as.numeric(y < z)
eusilc$fgt1 <- ((z - y) / z) * (y < z)
eusilc$gap <- (z - y) * (y < z)
eusilc$one <- 1
eusilc$female_poor <- as.numeric(eusilc$rb090 == "female" & y < z)
## A "reform" on the same persons: 2,000 more for persons under 18.
eusilc$y2 <- y + 2000 * (eusilc$age < 18)
eusilc$poor2 <- as.numeric(eusilc$y2 < z)
des <- svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = eusilc)

out <- list(
  generator = "Tests/Reference/statistics_extra.R",
  R_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  laeken_version = as.character(packageVersion("laeken")),
  design = "svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = eusilc); no fpc; lonely.psu = fail",
  z = z)

## Domain estimates (svyby keeps the whole design).
dom <- function(formula, by) {
  s <- svyby(formula, by, des, svymean)
  lev <- as.character(s[[1]])
  setNames(lapply(seq_along(lev), function(i) list(value = unname(coef(s)[i]), se = unname(SE(s)[i]))), lev)
}
out$domain_fgt0_by_rb090 <- dom(~poor, ~rb090)
out$domain_fgt0_by_db040 <- dom(~poor, ~db040)
out$domain_fgt1_by_db040 <- dom(~fgt1, ~db040)
out$domain_mean_by_rb090 <- dom(~eqIncome, ~rb090)

## Totals and a ratio.
out$total_poor_persons <- est(svytotal(~poor, des))
out$total_poverty_gap <- est(svytotal(~gap, des))
out$ratio_female_fgt0_contribution <- est(svyratio(~female_poor, ~one, des))
out$ratio_female_population_share <- est(svyratio(~I(as.numeric(rb090 == "female")), ~one, des))

## A change: reform minus baseline on the same persons (svycontrast).
m <- svymean(~y2 + eqIncome, des)
out$change_mean <- est(svycontrast(m, c(1, -1)))
p <- svymean(~poor2 + poor, des)
out$change_fgt0 <- est(svycontrast(p, c(1, -1)))
out$reform_fgt0 <- est(svymean(~poor2, des))

## Lonely PSU rules on Tests/Fixtures/statistics/lonely-psu.csv (stratum C has one PSU).
lp <- read.csv(lonely_csv)
lp$poor <- as.numeric(lp$income < 100)
lonely <- list()
for (rule in c("adjust", "remove")) {
  options(survey.lonely.psu = rule)
  d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = lp, nest = TRUE)
  lonely[[rule]] <- list(mean = est(svymean(~income, d)), fgt0_z100 = est(svymean(~poor, d)),
                         total_poor_z100 = est(svytotal(~poor, d)))
}
options(survey.lonely.psu = "fail")
out$lonely_psu <- lonely

## laeken's and survey's quantiles on Tests/Fixtures/statistics/quantile-ties.csv.
qt <- read.csv(file.path(repo_root, "Tests", "Fixtures", "statistics", "quantile-ties.csv"))
qp <- c(0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9)
out$quantile_ties <- list(probs = qp, laeken = weightedQuantile(qt$income, qt$weight, qp),
                          survey_math = sapply(qp, function(p) survey:::qrule_math(qt$income, qt$weight, p)),
                          gini = gini(qt$income, qt$weight)$value / 100,
                          arpr = arpr(qt$income, qt$weight)$value / 100,
                          rmpg = rmpg(qt$income, qt$weight)$value / 100,
                          qsr = qsr(qt$income, qt$weight)$value)

## Inequality indices from their formulas (persons weighted by rb050).
W <- sum(w); mu <- sum(w * y) / W
pos <- y > 0; Wp <- sum(w[pos]); mup <- sum(w[pos] * y[pos]) / Wp
nonneg <- y >= 0; Wn <- sum(w[nonneg]); mun <- sum(w[nonneg] * y[nonneg]) / Wn
out$inequality <- list(
  note = "formulas in Sources/SimKernel/Statistics/InequalityMoments.swift; y <= 0 left out of mld, theil, atkinson_1, atkinson_2; y < 0 of atkinson_0.5",
  excluded_nonpositive = sum(!pos),
  mld = log(mup) - sum(w[pos] * log(y[pos])) / Wp,
  theil = sum(w[pos] * (y[pos] / mup) * log(y[pos] / mup)) / Wp,
  ge2 = 0.5 * (sum(w * (y / mu)^2) / W - 1),
  atkinson_0.5 = 1 - (sum(w[nonneg] * sqrt(y[nonneg])) / Wn)^2 / mun,
  atkinson_1 = 1 - exp(sum(w[pos] * log(y[pos])) / Wp) / mup,
  atkinson_2 = 1 - (sum(w[pos] / y[pos]) / Wp)^(-1) / mup)
q <- weightedQuantile(y, w, seq(0.1, 0.9, 0.1))
cuts <- c(-Inf, q, Inf)
dec <- sapply(1:10, function(k) { i <- y > cuts[k] & y <= cuts[k + 1]; c(sum(w[i] * y[i]) / sum(w * y), sum(w[i] * y[i]) / sum(w[i])) })
out$deciles <- list(note = "decile k: q_(k-1) < y <= q_k, laeken weightedQuantile",
                    share = dec[1, ], mean = dec[2, ],
                    palma = sum(w[y > q[9]] * y[y > q[9]]) / sum(w[y <= q[4]] * y[y <= q[4]]))
out$watts_z10000 <- sum(w[pos & y < z] * log(z / y[pos & y < z])) / Wp

## survey's Rao-Wu bootstrap (subbootstrap: n_h - 1 PSUs drawn per stratum, rescaled).
boot <- list()
for (s in c(1L, 2L, 3L)) {
  set.seed(s)
  rd <- as.svrepdesign(des, type = "subbootstrap", replicates = 1000)
  boot[[paste0("seed_", s)]] <- list(mean_se = unname(SE(svymean(~eqIncome, rd))),
                                     fgt0_se = unname(SE(svymean(~poor, rd))))
}
out$survey_subbootstrap_1000 <- boot

writeLines(to_json(out), out_path, useBytes = TRUE)
cat("wrote", out_path, "\n")
