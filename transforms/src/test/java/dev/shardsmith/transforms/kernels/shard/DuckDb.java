package dev.shardsmith.transforms.kernels.shard;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads Parquet files with DuckDB, an implementation independent of parquet-java. */
final class DuckDb {
  private DuckDb() {}

  /** Rows of {@code sql} as column-name -> value maps; blobs as byte[], lists as Java lists. */
  static List<Map<String, Object>> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          if (v instanceof Array a) {
            v = Arrays.asList((Object[]) a.getArray());
          } else if (v instanceof java.sql.Blob b) {
            v = b.getBytes(1, (int) b.length());
          }
          row.put(md.getColumnLabel(i), v);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** The file's key-value metadata, as DuckDB's {@code parquet_kv_metadata} reports it. */
  static Map<String, String> kvMetadata(Path file) throws SQLException {
    Map<String, String> kv = new TreeMap<>();
    for (Map<String, Object> r :
        query("SELECT key, value FROM parquet_kv_metadata('" + file + "')")) {
      kv.put(text(r.get("key")), text(r.get("value")));
    }
    return kv;
  }

  static String text(Object blobOrString) {
    return blobOrString instanceof byte[] b
        ? new String(b, StandardCharsets.UTF_8)
        : String.valueOf(blobOrString);
  }
}
