package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigTest {
  private static final Path BASE = Path.of("/data/project");

  private static RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), BASE);
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  private static final String MIN = "name: t\ninput: {root: imgs}\n";

  @Test
  void defaultsAreFilledIn() throws Exception {
    RunConfig c = parse(MIN);
    assertEquals(42, c.seed());
    assertEquals(Path.of("/data/project/imgs"), c.input().root());
    assertEquals(0.8, c.split().train());
    assertEquals(256, c.preprocess().cropWidth());
    assertEquals(1, c.augment().copies());
    assertEquals("cpu", c.compute().backend());
    assertEquals(Path.of("/data/project/out/t"), c.output().dir());
    assertEquals(List.of("parquet"), c.output().formats());
    assertEquals("zstd", c.output().parquetCompression());
    assertEquals("lz4", c.output().arrowCompression());
    assertEquals("allow_short", c.output().equalShards());
    assertEquals(1, c.output().workers());
  }

  @Test
  void aMissingConfigFileIsNamed() {
    assertEquals(
        "config /no/such/run.yaml does not exist",
        assertThrows(ConfigException.class, () -> RunConfig.load(Path.of("/no/such/run.yaml")))
            .getMessage());
  }

  @Test
  void theSampleDemoConfigIsValid() {
    RunConfig c = RunConfig.load(Path.of("../sample-data/demo.yaml"));
    assertEquals("demo", c.name());
    assertEquals(28, c.preprocess().cropWidth());
  }

  @Test
  void unknownKeysNameTheKeyAndWhatIsAllowed() {
    assertEquals(
        "colour is not a known key: the top level takes name, seed, input, quality, split,"
            + " preprocess, normalize, balance, augment, compute, output",
        error(MIN + "colour: red\n"));
    assertEquals(
        "augment.rotate.angle is not a known key: augment.rotate takes p, limit",
        error(MIN + "augment: {rotate: {angle: 3}}\n"));
    assertEquals(
        "normalize.zscore is not a known key: normalize takes impute, fill_value,"
            + " categorical_impute, categorical_fill_value, scale, median, pca, image",
        error(MIN + "normalize: {zscore: true}\n"));
  }

  @Test
  void wrongTypesAndRangesNameKeyValueAndAllowed() {
    assertEquals("seed = \"abc\" must be an integer", error(MIN + "seed: abc\n"));
    assertEquals(
        "split.train = 1.5 is out of range: must be in [0.0, 1.0]",
        error(MIN + "split: {train: 1.5}\n"));
    assertEquals(
        "split.train = 0.7, split.val = 0.1, split.test = 0.1 sum to 0.9: they must sum to 1",
        error(MIN + "split: {train: 0.7, val: 0.1, test: 0.1}\n"));
    assertEquals(
        "output.parquet.compression = lzma is not allowed: use one of zstd, snappy, none",
        error(MIN + "output: {parquet: {compression: lzma}}\n"));
    assertEquals(
        "output.shard_bytes = \"lots\" must be a byte count such as 268435456 or 256MiB (units B,"
            + " KB, MB, GB, KiB, MiB, GiB)",
        error(MIN + "output: {shard_bytes: lots}\n"));
    assertEquals(
        "output.shard_rows and output.shard_bytes are both 0: give a row target, a byte target or"
            + " both",
        error(MIN + "output: {shard_rows: 0}\n"));
    assertEquals(
        "augment.copies = -1 is out of range: must be in [0, 10000]",
        error(MIN + "augment: {copies: -1}\n"));
    assertEquals(
        "augment.random_resized_crop.scale = [0.9,0.2] must have low <= high",
        error(MIN + "augment: {random_resized_crop: {scale: [0.9, 0.2]}}\n"));
    assertEquals(
        "augment.hflip must be a mapping of keys to values, but was 0.5",
        error(MIN + "augment: {hflip: 0.5}\n"));
    assertEquals(
        "augment.enabled = \"yes please\" must be true or false",
        error(MIN + "augment: {enabled: yes please}\n"));
    assertEquals(
        "compute.device = cuda is not allowed: use one of auto, cpu, opencl",
        error(MIN + "compute: {device: cuda}\n"));
    // the pipelines module's tests run with OPENCV_OPENCL_RUNTIME=disabled (parent pom): no
    // OpenCL device, so asking for opencl fails before any data is read
    assertTrue(
        error(MIN + "compute: {device: opencl}\n")
            .startsWith("compute.device = opencl, but OpenCV finds no OpenCL device"));
  }

  @Test
  void inputAndPreprocessConsistency() {
    assertEquals("name is required: give a string", error("input: {root: x}\n"));
    assertEquals(
        "input needs exactly one of input.root (a class-per-folder tree) or input.manifest (a CSV"
            + " or JSONL file of path, label[, group])",
        error("name: t\ninput: {root: a, manifest: b.csv}\n"));
    assertEquals(
        "input.manifest = \"list.txt\" must end in .csv or .jsonl",
        error("name: t\ninput: {manifest: list.txt}\n"));
    assertEquals(
        "input.labels = [a, b, a] lists a label twice",
        error("name: t\ninput: {root: x, labels: [a, b, a]}\n"));
    assertEquals(
        "preprocess.crop = 300 (crop_height 300) must not exceed preprocess.resize = 256: the"
            + " crop is taken from the resized image",
        error(MIN + "preprocess: {crop: 300}\n"));
    assertEquals(
        "name = \"my run\" must use letters, digits, '.', '_' or '-' only",
        error("name: my run\ninput: {root: x}\n"));
  }

  @Test
  void variableSizeImagesNeedAnEncodingThatNpyCannotHold() {
    assertEquals(
        "output.image_encoding = raw needs images of one size, but preprocess.resize = 0 keeps"
            + " their own sizes: set preprocess.resize and crop, or encode as png, jpeg or webp",
        error(MIN + "preprocess: {resize: 0}\n"));
    assertEquals(
        "output.formats lists npy, which holds raw pixel arrays, but output.image_encoding = png:"
            + " use raw, or drop npy",
        error(MIN + "output: {formats: [npy], image_encoding: png}\n"));
    assertEquals(
        "preprocess.crop = 32 needs preprocess.resize > 0: resize 0 keeps every image at its own"
            + " size, without a crop",
        error(MIN + "preprocess: {resize: 0, crop: 32}\n"));
  }

  @Test
  void pixelOpsParseWithDefaultsAndNamedErrors() throws Exception {
    RunConfig c =
        parse(
            MIN
                + "augment: {ops: [{op: invert, p: 0.1}, {op: gaussian_blur, sigma: [0.5, 1.5]},"
                + " {op: jpeg_compression}]}\n");
    assertEquals(3, c.augment().ops().size());
    assertEquals(
        new dev.shardsmith.transforms.kernels.image.ops.GaussianBlur(0.5, 0.5, 1.5),
        c.augment().ops().get(1));
    assertEquals(
        dev.shardsmith.transforms.kernels.image.ops.Compression.jpeg(0.5, 75, 99),
        c.augment().ops().get(2));
    assertTrue(
        error(MIN + "augment: {ops: [{op: sharpen}]}\n")
            .startsWith(
                "augment.ops[0].op = sharpen is not allowed: use one of brightness_contrast,"));
    assertEquals(
        "augment.ops[1].sigmas is not a known key: augment.ops[1] takes op, p, sigma",
        error(MIN + "augment: {ops: [{op: invert}, {op: gaussian_blur, sigmas: [1, 2]}]}\n"));
    assertTrue(
        error(MIN + "augment: {ops: [{op: posterize, bits: [0, 9]}]}\n")
            .startsWith("augment.ops[0] (posterize): "),
        "the op's own range check, prefixed with the entry");
  }

  @Test
  void byteSizesTakeUnits() throws Exception {
    assertEquals(256L << 20, parse(MIN + "output: {shard_bytes: 256MiB}\n").output().shardBytes());
    assertEquals(5_000_000L, parse(MIN + "output: {shard_bytes: 5MB}\n").output().shardBytes());
    assertEquals(4096L, parse(MIN + "output: {shard_bytes: 4096}\n").output().shardBytes());
  }

  @Test
  void hashCoversSettingsButNotPaths() throws Exception {
    RunConfig a = parse(MIN);
    assertEquals(a.sha256(), parse("name: t\ninput: {root: elsewhere}\n").sha256());
    assertEquals(a.sha256(), a.withOutputDir(Path.of("/tmp/x")).sha256());
    assertNotEquals(a.sha256(), parse(MIN + "seed: 43\n").sha256());
    assertNotEquals(a.sha256(), parse(MIN + "augment: {hflip: {p: 0.2}}\n").sha256());
  }
}
