# heldout_tables.R: the held-out tables of benchmarks/RESULTS.md as CSV files.
#
# The quality claims of the general suite are checked on real tables that
# the project does not ship and no default was chosen on: nine of mlbench's
# and kernlab's, five of caret's, and nine fresh ones kept for checking
# only, read from the R packages that Debian ships (nothing is downloaded):
#
#   apt-get install -y --no-install-recommends r-base-core \
#       r-cran-mlbench r-cran-kernlab r-cran-caret r-cran-mass r-cran-rpart
#   Rscript benchmarks/heldout_tables.R OUT_FOLDER
#   python -m benchmarks.general_dev '{}' \
#       --datasets csv:OUT_FOLDER/satellite.csv,csv:OUT_FOLDER/sonar.csv,... \
#       --cache benchmarks/_cache
#
# Each file has a header row, numeric feature columns and the class last
# (column "label"). Factor and logical columns become integer codes, rows
# with a missing value and constant columns are dropped, and three columns
# that are not features are dropped by name (Vowel's speaker V1,
# Ionosphere's V2, Segmentation's Cell and Case). The class is the R factor's
# level code from 0 (as.integer(y) - 1): other codes of the same classes
# give other stratified splits, and so other figures than RESULTS.md's.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript benchmarks/heldout_tables.R OUT_FOLDER")
out <- args[1]
dir.create(out, showWarnings = FALSE, recursive = TRUE)

load_data <- function(name, package) {
  env <- new.env()
  data(list = name, package = package, envir = env)
  env
}

write_table <- function(X, y, name, drop = character(0)) {
  X <- as.data.frame(X, stringsAsFactors = FALSE)
  X <- X[, setdiff(names(X), drop), drop = FALSE]
  for (column in names(X)) {
    v <- X[[column]]
    if (is.factor(v) || is.logical(v)) v <- as.integer(v)
    else if (is.character(v)) v <- as.integer(factor(v))
    X[[column]] <- as.numeric(v)
  }
  y <- if (is.factor(y)) as.integer(y) - 1L else as.integer(factor(y)) - 1L
  complete <- complete.cases(X) & !is.na(y)
  X <- X[complete, , drop = FALSE]
  y <- y[complete]
  constant <- names(X)[vapply(X, function(v) length(unique(v)) <= 1, logical(1))]
  X <- X[, setdiff(names(X), constant), drop = FALSE]
  if ("label" %in% names(X)) names(X)[names(X) == "label"] <- "label_feature"
  X$label <- y
  file <- file.path(out, paste0(name, ".csv"))
  write.csv(X, file, row.names = FALSE)
  cat(sprintf("%-48s %5d rows x %4d features, %d classes\n",
              file, nrow(X), ncol(X) - 1, length(unique(y))))
}

from_frame <- function(frame, class_column, name, drop = character(0)) {
  write_table(frame[, setdiff(names(frame), class_column), drop = FALSE],
              frame[[class_column]], name, drop)
}

# mlbench and kernlab: the nine tables.
from_frame(load_data("Satellite", "mlbench")$Satellite, "classes", "satellite")
from_frame(load_data("DNA", "mlbench")$DNA, "Class", "dna")
from_frame(load_data("Vehicle", "mlbench")$Vehicle, "Class", "vehicle")
from_frame(load_data("Vowel", "mlbench")$Vowel, "Class", "vowel", drop = "V1")
from_frame(load_data("Glass", "mlbench")$Glass, "Type", "glass")
from_frame(load_data("Sonar", "mlbench")$Sonar, "Class", "sonar")
from_frame(load_data("Ionosphere", "mlbench")$Ionosphere, "Class", "ionosphere",
           drop = "V2")
from_frame(load_data("spam", "kernlab")$spam, "type", "spam")
from_frame(load_data("musk", "kernlab")$musk, "Class", "musk")

# caret: the five more tables.
from_frame(load_data("segmentationData", "caret")$segmentationData, "Class",
           "segmentation", drop = c("Cell", "Case"))
from_frame(load_data("GermanCredit", "caret")$GermanCredit, "Class", "germancredit")
mdrr <- load_data("mdrr", "caret")
write_table(mdrr$mdrrDescr, mdrr$mdrrClass, "mdrr")
cox2 <- load_data("cox2", "caret")
write_table(cox2$cox2Descr, cox2$cox2Class, "cox2")
from_frame(load_data("dhfr", "caret")$dhfr, "Y", "dhfr")

# Fresh tables, added on 2026-12-04 after every default of the package was
# chosen, and used to check them only (RESULTS.md, "Nine fresh tables"):
# mlbench, MASS, caret, kernlab and rpart, all in Debian's R packages.
from_frame(load_data("PimaIndiansDiabetes", "mlbench")$PimaIndiansDiabetes,
           "diabetes", "pima")
from_frame(load_data("BreastCancer", "mlbench")$BreastCancer, "Class",
           "breastcancer_wisconsin", drop = "Id")
from_frame(load_data("Zoo", "mlbench")$Zoo, "type", "zoo")
from_frame(load_data("Soybean", "mlbench")$Soybean, "Class", "soybean")
from_frame(load_data("HouseVotes84", "mlbench")$HouseVotes84, "Class", "housevotes")
crabs <- load_data("crabs", "MASS")$crabs
write_table(crabs[, c("sex", "FL", "RW", "CL", "CW", "BD")], crabs$sp, "crabs")
oil <- load_data("oil", "caret")
write_table(oil$fattyAcids, oil$oilType, "oil")
from_frame(load_data("promotergene", "kernlab")$promotergene, "Class", "promotergene")
from_frame(load_data("kyphosis", "rpart")$kyphosis, "Kyphosis", "kyphosis")
