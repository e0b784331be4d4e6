module sealkit.local/pq-oracle

go 1.24
