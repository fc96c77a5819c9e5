# Golden numbers for simrun's weight calibration (Sources/SimKernel/Statistics/Calibration*.swift).
#
# Run from the package root:  Rscript Tests/Fixtures/calibration/make-golden.R
# Needs R with the survey package (Debian: r-cran-survey; these files were made with survey 4.1.1).
# R is a test-data generator only: the files it writes are committed and the tests read only them.
#
# Writes, in Tests/Fixtures/calibration/:
#   persons.csv   every 20th household of inputs/data/example-persons.csv (hh_id %% 20 == 3), with
#                 hh_id, person_id, weight, weight_small (= weight / 40, to exercise R's rescaling),
#                 region (numeric codes 1-10), sex (text: male/female), urban (0/1), age
#   margins.yaml  known totals: region, sex and urban counts, and the total of age
#   golden.csv    one column per case below: the calibrated weights survey::calibrate() gives
suppressPackageStartupMessages(library(survey))
here <- "Tests/Fixtures/calibration"
src <- read.csv("inputs/data/example-persons.csv")
d <- src[src$hh_id %% 20 == 3, c("hh_id", "person_id", "weight", "region", "sex", "urban", "age")]
d$sex <- ifelse(d$sex == 1, "male", "female")
d$weight_small <- d$weight / 40
d <- d[, c("hh_id", "person_id", "weight", "weight_small", "region", "sex", "urban", "age")]
write.csv(d, file.path(here, "persons.csv"), row.names = FALSE, quote = FALSE)

# Known totals: the sample's weighted counts, moved by fixed factors, rounded to halves.
wsum <- function(x) tapply(d$weight, x, sum)
region_levels <- as.character(1:10)
region_tot <- round(2 * wsum(d$region)[region_levels] * c(1.06, 0.95, 1.03, 0.97, 1.05, 0.94, 1.00, 1.07, 0.96, 1.02)) / 2
N <- sum(region_tot)
sex_levels <- c("male", "female")
male <- round(2 * N * 1.02 * sum(d$weight[d$sex == "male"]) / sum(d$weight)) / 2
sex_tot <- c(male = male, female = N - male)
urban_levels <- c("0", "1")
urban1 <- round(2 * N * 1.04 * sum(d$weight[d$urban == 1]) / sum(d$weight)) / 2
urban_tot <- c("0" = N - urban1, "1" = urban1)
age_tot <- round(2 * sum(d$weight * d$age) * 1.03) / 2

num <- function(x) sprintf("%.17g", x)
yaml <- c("# Known totals for Tests/Fixtures/calibration/persons.csv (written by make-golden.R).",
          "margins:",
          "  region:", paste0("    ", region_levels, ": ", num(region_tot)),
          "  sex:", paste0("    ", sex_levels, ": ", num(sex_tot)),
          "  urban:", paste0("    ", urban_levels, ": ", num(urban_tot)),
          paste0("  age: ", num(age_tot)))
writeLines(yaml, file.path(here, "margins.yaml"))

# The categories' first level is the reference level, as simrun takes the first category listed.
d$region_f <- factor(as.character(d$region), levels = region_levels)
d$sex_f <- factor(d$sex, levels = sex_levels)
d$urban_f <- factor(as.character(d$urban), levels = urban_levels)
population <- c("(Intercept)" = N, setNames(region_tot[-1], paste0("region_f", region_levels[-1])),
                setNames(sex_tot[-1], paste0("sex_f", sex_levels[-1])),
                setNames(urban_tot[-1], paste0("urban_f", urban_levels[-1])), age = age_tot)
formula <- ~region_f + sex_f + urban_f + age

persons <- svydesign(ids = ~1, weights = ~weight, data = d)
households <- svydesign(ids = ~hh_id, weights = ~weight, data = d)
small <- svydesign(ids = ~1, weights = ~weight_small, data = d)
small_hh <- svydesign(ids = ~hh_id, weights = ~weight_small, data = d)

cases <- list(
  # name, design, aggregate.stage, calfun, bounds, trim
  list("linear", persons, NULL, "linear", c(-Inf, Inf), NULL),
  list("linear_bounds", persons, NULL, "linear", c(0.85, 1.2), NULL),
  list("raking", persons, NULL, "raking", c(-Inf, Inf), NULL),
  list("raking_bounds", persons, NULL, "raking", c(0.85, 1.2), NULL),
  list("logit", persons, NULL, "logit", c(0.8, 1.25), NULL),
  list("linear_hh", households, 1, "linear", c(-Inf, Inf), NULL),
  list("linear_bounds_hh", households, 1, "linear", c(0.7, 1.4), NULL),
  list("raking_hh", households, 1, "raking", c(-Inf, Inf), NULL),
  list("raking_bounds_hh", households, 1, "raking", c(0.7, 1.4), NULL),
  list("logit_hh", households, 1, "logit", c(0.6, 1.6), NULL),
  # calibrate(calfun = "linear") without bounds takes regcalibrate(), which ignores trim=; the calfun
  # object cal.linear takes grake(), which trims (simrun trims in every method).
  list("linear_trim", persons, NULL, cal.linear, c(-Inf, Inf), c(0.9, 1.1)),
  list("raking_trim", persons, NULL, "raking", c(-Inf, Inf), c(0.9, 1.1)),
  list("logit_trim", persons, NULL, "logit", c(0.8, 1.25), c(0.9, 1.15)),
  list("raking_trim_hh", households, 1, "raking", c(-Inf, Inf), c(0.85, 1.15)),
  list("linear_bounds_trim_hh", households, 1, "linear", c(0.7, 1.4), c(0.8, 1.3)),
  # Initial weights 40 times too small: grake() rescales them (its SOMETHRESHOLD of 20).
  list("raking_small", small, NULL, "raking", c(-Inf, Inf), NULL),
  list("logit_small_hh", small_hh, 1, "logit", c(0.6, 1.6), NULL)
)
out <- data.frame(row = seq_len(nrow(d)))
for (case in cases) {
  args <- list(case[[2]], formula, population, calfun = case[[4]], bounds = case[[5]])
  if (!is.null(case[[3]])) args$aggregate.stage <- case[[3]]
  if (!is.null(case[[6]])) args$trim <- case[[6]]
  cal <- suppressMessages(do.call(calibrate, args))
  w <- weights(cal)
  ratio <- w / weights(case[[2]])
  message(sprintf("%-22s ratio range [%.4f, %.4f]", case[[1]], min(ratio), max(ratio)))
  out[[case[[1]]]] <- sprintf("%.17g", w)
}
out$row <- NULL
write.csv(out, file.path(here, "golden.csv"), row.names = FALSE, quote = FALSE)
