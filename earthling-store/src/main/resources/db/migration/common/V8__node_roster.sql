-- The nodes the leader last knew: a new leader waits for them to register again before it runs the jobs that were
-- PENDING when it took over (one of them may be running there already: its ASSIGNED was deferred).
CREATE TABLE node_roster (
    name  VARCHAR(64)     PRIMARY KEY,
    epoch BIGINT          NOT NULL,
    nodes VARCHAR(100000) NOT NULL
);

INSERT INTO node_roster (name, epoch, nodes) VALUES ('leader', 0, '');
