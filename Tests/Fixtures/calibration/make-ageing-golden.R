# Golden household weights for SurveyAgeing.reweight (Sources/SimKernel/Statistics/SurveyAgeing.swift):
# inputs/data/example-persons.csv calibrated by R survey's calibrate() to the 2030 population by age group
# and sex of inputs/countries/example.yaml (raking and logit with bounds 0.2-5; households kept together).
#
# Run from the package root:  Rscript Tests/Fixtures/calibration/make-ageing-golden.R
# (R with r-cran-survey; made with survey 4.1.1). Writes Tests/Fixtures/calibration/ageing-2030.csv:
# hh_id, raking, logit (one row per household, in file order). R is a test-data generator only.
suppressPackageStartupMessages(library(survey))
d <- read.csv("inputs/data/example-persons.csv")
labs <- c("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
          "55-59", "60-64", "65-69", "70-74", "75-79", "80+")
d$grp <- cut(d$age, breaks = c(seq(0, 80, 5), Inf), right = FALSE, labels = labs)
levels <- c(paste("male", labs), paste("female", labs))
d$age_sex <- factor(paste(ifelse(d$sex == 1, "male", "female"), d$grp), levels = levels)
# population: male and female, 2030, in inputs/countries/example.yaml
male <- c(288000, 219100, 163600, 93700, 87600, 104300, 122200, 103000, 92200, 86600, 82400, 57400, 84900, 54500, 30400, 17300, 13200)
female <- c(302800, 240300, 173000, 132000, 97700, 119000, 114600, 105900, 93900, 83100, 64300, 50500, 82500, 54700, 40700, 17200, 16600)
totals <- c(male, female)
population <- c("(Intercept)" = sum(totals), setNames(totals[-1], paste0("age_sex", levels[-1])))
design <- svydesign(ids = ~hh_id, weights = ~weight, data = d)
first <- !duplicated(d$hh_id)
out <- data.frame(hh_id = d$hh_id[first])
raking <- calibrate(design, ~age_sex, population, calfun = "raking", aggregate.stage = 1)
out$raking <- sprintf("%.17g", weights(raking)[first])
logit <- calibrate(design, ~age_sex, population, calfun = "logit", bounds = c(0.2, 5), aggregate.stage = 1)
out$logit <- sprintf("%.17g", weights(logit)[first])
write.csv(out, "Tests/Fixtures/calibration/ageing-2030.csv", row.names = FALSE, quote = FALSE)
