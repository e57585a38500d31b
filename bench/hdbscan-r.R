# Runs R's dbscan::hdbscan (the C++ reference) on a NumPy .npy matrix and writes one line per point:
# "cluster,glosh" (cluster 0 = noise, as R numbers them). The first line is "#seconds <elapsed>",
# timing hdbscan() only (not the file reading).
# Usage: Rscript bench/hdbscan-r.R <points.npy> <minPts> <out.csv>
suppressMessages(library(dbscan))
args <- commandArgs(trailingOnly = TRUE)
input <- args[1]
minPts <- as.integer(args[2])
output <- args[3]

con <- file(input, "rb")
invisible(readBin(con, "raw", 6))
version <- as.integer(readBin(con, "raw", 2))
headerLength <- if (version[1] == 1) {
  readBin(con, "integer", size = 2, signed = FALSE, endian = "little")
} else {
  readBin(con, "integer", size = 4, endian = "little")
}
header <- rawToChar(readBin(con, "raw", headerLength))
shape <- as.integer(strsplit(sub(".*'shape': \\(([^)]*)\\).*", "\\1", header), ",\\s*")[[1]])
descr <- sub(".*'descr': '([^']*)'.*", "\\1", header)
size <- if (grepl("f4", descr)) 4 else 8
values <- readBin(con, "double", n = prod(shape), size = size, endian = "little")
close(con)
x <- matrix(values, nrow = shape[1], ncol = shape[2], byrow = TRUE)

elapsed <- system.time(result <- hdbscan(x, minPts = minPts))[["elapsed"]]
lines <- c(sprintf("#seconds %.3f", elapsed),
           sprintf("%d,%.17g", result$cluster, result$outlier_scores))
writeLines(lines, output)
