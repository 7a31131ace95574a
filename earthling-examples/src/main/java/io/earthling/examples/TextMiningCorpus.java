package io.earthling.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The text-mining demo's web site, made up from a fixed seed: an index page and {@code count} HTML pages of
 * 80-160 words, each leaning on one topic of {@link Vocabulary#TOPICS} and linking to three other pages (page i
 * always to page i+1, so a crawler from the index reaches every page).
 */
public final class TextMiningCorpus {
    /** One page: its path on the server (e.g. {@code /pages/7.html}) and its HTML. */
    public record Page(String path, String html) {
    }

    private static final List<String> STOPS = List.of("the", "and", "for", "with", "from", "that", "this", "was",
            "are", "into", "about", "when", "which", "their", "of", "to", "in", "a", "is", "on");
    private static final int COMMON = 60;

    private TextMiningCorpus() {
    }

    /** The index page first, then pages 0..count-1; the same for the same arguments on every machine. */
    public static List<Page> generate(int count, long seed) {
        int[] topics = new int[count];
        String[] titles = new String[count];
        for (int i = 0; i < count; i++) {
            Random r = new Random(seed * 31 + i);
            topics[i] = r.nextInt(Vocabulary.TOPICS.size());
            List<String> t = Vocabulary.TOPICS.get(topics[i]);
            titles[i] = t.get(r.nextInt(t.size())) + " " + t.get(r.nextInt(t.size()));
        }
        List<Page> pages = new ArrayList<>(count + 1);
        StringBuilder index = new StringBuilder("<html><head><title>Index</title></head><body><ul>\n");
        for (int i = 0; i < count; i += 40) {
            index.append("<li><a href=\"/pages/").append(i).append(".html\">").append(titles[i]).append("</a></li>\n");
        }
        pages.add(new Page("/index.html", index.append("</ul></body></html>\n").toString()));
        for (int i = 0; i < count; i++) {
            pages.add(new Page("/pages/" + i + ".html", page(i, count, seed, topics[i], titles)));
        }
        return pages;
    }

    private static String page(int i, int count, long seed, int topic, String[] titles) {
        Random r = new Random(seed * 1_000_003L + i);
        List<String> words = Vocabulary.TOPICS.get(topic);
        StringBuilder html = new StringBuilder("<html><head><title>").append(titles[i])
                .append("</title></head><body>\n<h1>").append(titles[i]).append("</h1>\n<p>");
        int length = 80 + r.nextInt(81);
        for (int w = 0; w < length; w++) {
            double u = r.nextDouble();
            String word = u < 0.3 ? STOPS.get(r.nextInt(STOPS.size()))
                    : u < 0.88 ? words.get(Vocabulary.zipfIndex(words.size(), 2.0, r))
                    : Vocabulary.WORDS.get(Vocabulary.zipfIndex(COMMON, 3.0, r));
            html.append(word).append(w % 12 == 11 ? ".</p>\n<p>" : " ");
        }
        html.append("</p>\n<p>See also:");
        for (int target : new int[] {(i + 1) % count, r.nextInt(count), r.nextInt(count)}) {
            html.append(" <a href=\"/pages/").append(target).append(".html\">").append(titles[target]).append("</a>");
        }
        return html.append("</p>\n</body></html>\n").toString();
    }
}
