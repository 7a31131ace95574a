package io.earthling.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fetching an HTML page and reading its links and its text. */
final class Pages {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern HREF = Pattern.compile("href=\"([^\"#]+)[^\"]*\"");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private Pages() {
    }

    static String fetch(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** The absolute URLs of the page's links that stay on its host and port. */
    static List<String> links(String pageUrl, String html) {
        URI base = URI.create(pageUrl);
        List<String> out = new ArrayList<>();
        Matcher m = HREF.matcher(html);
        while (m.find()) {
            URI u = base.resolve(m.group(1));
            if (u.getAuthority() != null && u.getAuthority().equals(base.getAuthority())) {
                out.add(u.toString());
            }
        }
        return out;
    }

    /** The text without tags and with the common entities decoded. */
    static String text(String html) {
        return TAG.matcher(html).replaceAll(" ").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&amp;", "&");
    }
}
