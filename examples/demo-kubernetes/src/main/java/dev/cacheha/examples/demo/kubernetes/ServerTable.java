package dev.cacheha.examples.demo.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A list as {@code kubectl get} prints it: the API server's own table of the resource (the columns kubectl shows,
 * the CRD's printer columns for custom resources), asked for with kubectl's {@code Accept} header, with the
 * columns of priority 0 only, as kubectl without {@code -o wide}.
 *
 * @param columns the column names, upper case as kubectl prints them
 * @param rows one list of cells per object, in the server's order
 */
record ServerTable(List<String> columns, List<List<String>> rows) {

    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);
    private static final String GAP = "   ";

    /**
     * The table of the list at {@code path} (for example {@code api/v1/namespaces/demo/pods}) with one more
     * column per entry of {@code labelColumns} (column name to label key, in the map's order), whose cell is that
     * label of the object, as kubectl's {@code -L}.
     *
     * @throws KubernetesClientException when the server does not answer 200 in time
     */
    static ServerTable get(KubernetesClient client, String path, Map<String, String> labelColumns) {
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(client.getMasterUrl().toString().replaceAll("/$", "") + "/" + path)
                .header("Accept", TABLE)
                .build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class)
                    .get(REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException("GET " + path + " as a table failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while asking for " + path, e);
        }
        if (response.code() != 200) {
            throw new KubernetesClientException("GET " + path + " as a table: HTTP " + response.code() + " "
                    + response.body());
        }
        try {
            return parse(JSON.readTree(response.body()), labelColumns);
        } catch (IOException e) {
            throw new UncheckedIOException("the table of " + path + " is not JSON", e);
        }
    }

    private static ServerTable parse(JsonNode table, Map<String, String> labelColumns) {
        List<Integer> shown = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<Function<JsonNode, String>> dateCells = new ArrayList<>();
        JsonNode definitions = table.path("columnDefinitions");
        for (int i = 0; i < definitions.size(); i++) {
            JsonNode column = definitions.get(i);
            if (column.path("priority").asInt() == 0) {
                shown.add(i);
                columns.add(column.path("name").asText().toUpperCase(Locale.ROOT));
                // Custom resources' date columns come as timestamps, which kubectl prints as an age.
                dateCells.add("date".equals(column.path("type").asText())
                        ? cell -> age(cell.asText()) : JsonNode::asText);
            }
        }
        labelColumns.keySet().forEach(column -> columns.add(column.toUpperCase(Locale.ROOT)));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : table.path("rows")) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < shown.size(); i++) {
                JsonNode cell = row.path("cells").path(shown.get(i));
                cells.add(cell.isNull() || cell.isMissingNode() ? "" : dateCells.get(i).apply(cell));
            }
            JsonNode labels = row.path("object").path("metadata").path("labels");
            labelColumns.values().forEach(label -> cells.add(labels.path(label).asText("")));
            rows.add(cells);
        }
        return new ServerTable(List.copyOf(columns), List.copyOf(rows));
    }

    /** This table without its AGE column: what has changed when this differs from an earlier one. */
    ServerTable withoutAge() {
        int age = columns.indexOf("AGE");
        if (age < 0) {
            return this;
        }
        List<String> otherColumns = new ArrayList<>(columns);
        otherColumns.remove(age);
        List<List<String>> otherRows = rows.stream().map(row -> {
            List<String> cells = new ArrayList<>(row);
            cells.remove(age);
            return List.copyOf(cells);
        }).toList();
        return new ServerTable(List.copyOf(otherColumns), otherRows);
    }

    /** The table as kubectl prints it: left-aligned columns three spaces apart, or kubectl's line for none. */
    String render(String emptyMessage) {
        if (rows.isEmpty()) {
            return emptyMessage + "\n";
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, columns, widths);
        rows.forEach(row -> appendLine(out, row, widths));
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length())).append(GAP);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** kubectl's short age of a timestamp: seconds, then minutes and seconds, then hours and minutes. */
    static String age(String timestamp) {
        try {
            return shortDuration(Duration.between(Instant.parse(timestamp), Instant.now()));
        } catch (DateTimeParseException notATimestamp) {
            return timestamp;
        }
    }

    /** A duration as kubectl prints an age: {@code 42s}, {@code 3m7s}, {@code 2h5m}. */
    static String shortDuration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
        }
        return seconds / 3600 + "h" + (seconds % 3600 / 60 == 0 ? "" : seconds % 3600 / 60 + "m");
    }
}
