package dev.shardsmith.transforms.kernels.shard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes and reads {@code OUT/splits.parquet}: one row per sample with columns {@code id}, {@code
 * group}, {@code split} (UTF-8 strings) and {@code fold} (int32), sorted by id, so that {@code
 * split.freeze_from} can reuse an earlier run's assignment.
 *
 * <p><b>Deterministic:</b> the writer sorts rows by id (Java {@code String} order), so the same set
 * of rows in any order gives a byte-identical file. Ids must be unique. Memory: the rows given.
 *
 * <pre>{@code
 * ShardFileResult r = SplitsFile.write(out.resolve("splits.parquet"), rows);
 * List<SplitRow> frozen = SplitsFile.read(previous.resolve("splits.parquet"));
 * }</pre>
 */
public final class SplitsFile {
  private static final MessageType SCHEMA =
      new MessageType(
          "shardsmith_splits",
          List.of(
              ParquetShardFile.string("id", Type.Repetition.REQUIRED),
              ParquetShardFile.string("group", Type.Repetition.REQUIRED),
              ParquetShardFile.string("split", Type.Repetition.REQUIRED),
              ParquetShardFile.int32("fold")));

  private SplitsFile() {}

  /**
   * Writes {@code rows}, sorted by id, to {@code file} (replacing it), zstd-compressed.
   *
   * @throws IllegalArgumentException when two rows share an id (the message names it)
   */
  public static ShardFileResult write(Path file, List<SplitRow> rows) throws IOException {
    List<SplitRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(SplitRow::id));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
        throw new IllegalArgumentException("splits: duplicate id " + sorted.get(i).id());
      }
    }
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    return ParquetShardFile.writeRows(
        file,
        SCHEMA,
        Map.of(ParquetShardFile.FORMAT_VERSION_KEY, ParquetShardFile.FORMAT_VERSION),
        ParquetShardFile.Options.defaults(),
        sorted,
        r -> {
          Group g = groups.newGroup();
          g.append("id", r.id());
          g.append("group", r.group());
          g.append("split", r.split());
          g.append("fold", r.fold());
          return g;
        });
  }

  /** Reads every row of a {@code splits.parquet}, in file (id) order. */
  public static List<SplitRow> read(Path file) throws IOException {
    List<SplitRow> out = new ArrayList<>();
    for (Group g : ParquetShardFile.readGroups(file)) {
      out.add(
          new SplitRow(
              g.getString("id", 0),
              g.getString("group", 0),
              g.getString("split", 0),
              g.getInteger("fold", 0)));
    }
    return out;
  }
}
