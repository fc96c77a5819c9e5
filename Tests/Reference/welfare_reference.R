#!/usr/bin/env Rscript
## Golden numbers for declared welfare concepts (docs/welfare.md): FGT(0-2),
## mean and Gini of consumption welfare with a spatial deflator and urban/rural
## poverty lines, on the household-level example
## inputs/data/example-households-consumption.csv, for the two example
## scenarios inputs/scenarios/consumption/rural-household-transfer-consumption.yaml and
## rural-household-transfer-consumption-mpc.yaml, baseline and reform.
##
## Computed here from the definitions, independently of simrun's code:
## welfare y_h = (C_h / 12 + mpc * transfer_h) / s_h / d_h, with s_h = hsize
## (per capita) or sqrt(hsize); d_h the price index (column, or by region);
## person weight w_h * hsize; a person is poor when y_h < z_a (their area's
## line) and FGT(a) = sum w ((z_a - y)/z_a)^a [y < z_a] / sum w, by
## survey::svymean; the mean and Gini are of y_h * z / z_a (welfare on the
## reference line's scale), the Gini by laeken::gini.
##
## Run from the repository root (R 4.2 with r-cran-laeken and r-cran-survey):
##     Rscript Tests/Reference/welfare_reference.R
## Writes Tests/Fixtures/welfare/reference.json. R is never needed to run the tests.

suppressPackageStartupMessages({
  library(laeken)
  library(survey)
})

d <- read.csv("inputs/data/example-households-consumption.csv")
fmt_num <- function(x) {
  for (digits in 15:17) {
    s <- trimws(formatC(x, digits = digits, format = "g"))
    if (as.numeric(s) == x) return(s)
  }
  trimws(formatC(x, digits = 17, format = "g"))
}

z <- 120
lines <- c(`0` = 90, `1` = 120)
transfer <- ifelse(d$urban == 0, 40, 0)
region_index <- c(0.90, 0.93, 0.96, 0.99, 1.00, 1.02, 1.05, 1.08, 1.11, 1.14)

figures <- function(y, weight, za) {
  des <- svydesign(ids = ~1, weights = ~pw, data = data.frame(pw = weight, y = y, za = za,
    f0 = as.numeric(y < za), f1 = ifelse(y < za, (za - y) / za, 0), f2 = ifelse(y < za, ((za - y) / za)^2, 0),
    yr = y * z / za))
  m <- function(v) as.numeric(coef(svymean(as.formula(paste0("~", v)), des)))
  c(fgt0 = m("f0"), fgt1 = m("f1"), fgt2 = m("f2"), mean = m("yr"),
    gini = gini(y * z / za, weights = weight)$value / 100, persons = sum(weight))
}

za <- unname(lines[as.character(d$urban)])
pw <- d$weight * d$hsize
out <- list()
## Per capita, deflated by the price_index column, mpc 1.
s1 <- d$hsize * d$price_index
out$per_capita_baseline <- figures(d$consumption / 12 / s1, pw, za)
out$per_capita_reform <- figures((d$consumption / 12 + transfer) / s1, pw, za)
## Square-root adult equivalents, deflated by region, mpc 0.7.
s2 <- sqrt(d$hsize) * region_index[d$region]
out$mpc_baseline <- figures(d$consumption / 12 / s2, pw, za)
out$mpc_reform <- figures((d$consumption / 12 + 0.7 * transfer) / s2, pw, za)

json <- paste0("{\n", paste(sapply(names(out), function(k) {
  v <- out[[k]]
  paste0('  "', k, '": {', paste(sprintf('"%s": %s', names(v), sapply(v, fmt_num)), collapse = ", "), "}")
}), collapse = ",\n"), "\n}\n")
dir.create("Tests/Fixtures/welfare", showWarnings = FALSE, recursive = TRUE)
writeLines(json, "Tests/Fixtures/welfare/reference.json", sep = "")
cat(json)
