package io.earthling.cli;

import java.util.ArrayList;
import java.util.List;

/** A text table whose columns are as wide as their widest cell, so long names never push a row out of line. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;

    /** {@code headers}: one per column; a header starting with '>' is right-aligned (the '>' is not printed). */
    Table(String... headers) {
        right = new boolean[headers.length];
        String[] h = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].startsWith(">");
            h[i] = right[i] ? headers[i].substring(1) : headers[i];
        }
        rows.add(h);
    }

    Table row(Object... cells) {
        String[] r = new String[right.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "-";
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int[] width = new int[right.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(right[i] ? pad + r[i] : r[i] + (i == r.length - 1 ? "" : pad));
                if (i < r.length - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    void print() {
        System.out.print(this);
    }
}
