package dev.lamina.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lamina.LaminaException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (huggingface/safetensors): an 8-byte little-endian header
 * length, a JSON header mapping tensor names to {dtype, shape, data_offsets} plus an optional
 * "__metadata__" map of strings, then the tensor bytes, little-endian, contiguous, covering the
 * buffer. Only F32 tensors are used. Reading checks everything before it allocates tensor memory;
 * writing goes to a temporary file that is renamed into place.
 */
public final class SafeTensors {
    /** Larger headers are refused (the format's own reader uses the same limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The most floats one tensor may hold: the largest Java array the backends allocate. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /** A named float tensor. */
    public static final class Entry {
        public final String name;
        public final long[] shape;
        public final float[] data;

        public Entry(String name, long[] shape, float[] data) {
            this.name = name;
            this.shape = shape.clone();
            this.data = data;
        }
    }

    /** What a file holds: metadata and tensors in file order. */
    public static final class Contents {
        public final Map<String, String> metadata;
        public final Map<String, Entry> tensors;

        Contents(Map<String, String> metadata, Map<String, Entry> tensors) {
            this.metadata = metadata;
            this.tensors = tensors;
        }
    }

    /** Writes {@code entries} and {@code metadata} to {@code file} atomically (temporary file, then rename). */
    public static void write(Path file, Map<String, String> metadata, List<Entry> entries) {
        checkEntries(entries);
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode t = header.putObject(e.name);
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.shape) {
                shape.add(d);
            }
            long bytes = 4L * e.data.length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new LaminaException("Cannot encode the safetensors header: " + e.getMessage(), e);
        }
        int padded = (json.length + 7) / 8 * 8;           // the format recommends 8-byte alignment, padded with spaces
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            temp = AtomicFiles.createTemporary(dir == null ? Path.of("") : dir, "." + file.getFileName() + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
                out.write(len.array());
                out.write(json);
                for (int i = json.length; i < padded; i++) {
                    out.write(' ');
                }
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (Entry e : entries) {
                    for (float v : e.data) {
                        if (buf.remaining() < 4) {
                            out.write(buf.array(), 0, buf.position());
                            buf.clear();
                        }
                        buf.putFloat(v);
                    }
                }
                out.write(buf.array(), 0, buf.position());
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            AtomicFiles.replace(temp, file);
            temp = null;
        } catch (IOException e) {
            throw new LaminaException("Cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the rename failed; a stray temporary file is the lesser harm
                }
            }
        }
    }

    /** Refuses, before anything is written, entries a reader would reject: a file is never written inconsistent. */
    private static void checkEntries(List<Entry> entries) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Entry e : entries) {
            if (e.name == null || e.name.equals("__metadata__") || !names.add(e.name)) {
                throw new LaminaException("Cannot save a tensor named '" + e.name + "': names must be unique and not __metadata__.");
            }
            long elements = 1;
            for (long d : e.shape) {
                elements *= d;
            }
            if (elements != e.data.length) {
                throw new LaminaException("Cannot save tensor '" + e.name + "': its shape " + java.util.Arrays.toString(e.shape)
                        + " holds " + elements + " values but " + e.data.length + " were given.");
            }
        }
    }

    /** Reads and checks a whole file; every problem is a {@link ModelFileException} naming the file. */
    public static Contents read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + (Files.exists(file) ? e.getMessage() : "no such file") + ".", e);
        }
        // a pipe or device would block the open or never end; the format needs a file of known size
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException("Cannot read " + file + ": it is not a regular file (a directory, pipe or device).");
        }
        if (size < 8) {
            throw bad(file, "it is " + size + " bytes long, shorter than the 8-byte header length");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLength = lenBuf.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw bad(file, "its header length " + headerLength + " is impossible for a file of " + size + " bytes"
                        + " (limit " + MAX_HEADER_BYTES + ")");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBuf, 8, file);
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Slot> slots = parseHeader(file, headerBuf.array(), dataSize, metadata);
            checkCoverage(file, slots, dataSize);
            Map<String, Entry> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Slot s : slots) {
                float[] data = new float[(int) ((s.end - s.begin) / 4)];
                readFloats(ch, chunk, dataStart + s.begin, data, file);
                tensors.put(s.name, new Entry(s.name, s.shape, data));
            }
            return new Contents(metadata, tensors);
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Fills {@code data} from the file at {@code position}, a chunk at a time (no second copy of a large tensor). */
    private static void readFloats(FileChannel ch, ByteBuffer chunk, long position, float[] data, Path file) throws IOException {
        int done = 0;
        long pos = position;
        while (done < data.length) {
            int count = Math.min(data.length - done, chunk.capacity() / 4);
            chunk.clear().limit(count * 4);
            readFully(ch, chunk, pos, file);
            chunk.flip();
            chunk.asFloatBuffer().get(data, done, count);
            done += count;
            pos += 4L * count;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw bad(file, "it ends early");
            }
            pos += n;
        }
    }

    private static final class Slot {
        final String name;
        final long[] shape;
        final long begin;
        final long end;

        Slot(String name, long[] shape, long begin, long end) {
            this.name = name;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }
    }

    private static List<Slot> parseHeader(Path file, byte[] header, long dataSize, Map<String, String> metadata) {
        if (header[0] != '{') {
            throw bad(file, "its header does not start with '{'");
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw bad(file, "its header is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "its header is not a JSON object");
        }
        List<Slot> slots = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                if (!node.isObject()) {
                    throw bad(file, "__metadata__ is not a map of strings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> m = node.fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw bad(file, "__metadata__ value '" + kv.getKey() + "' is not a string");
                    }
                    metadata.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            slots.add(parseSlot(file, name, node, dataSize));
        }
        return slots;
    }

    private static Slot parseSlot(Path file, String name, JsonNode node, long dataSize) {
        if (!node.isObject()) {
            throw bad(file, "tensor '" + name + "' is not described by an object");
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw bad(file, "tensor '" + name + "' has no dtype");
        }
        if (!dtype.asText().equals("F32")) {
            throw bad(file, "tensor '" + name + "' has dtype " + dtype.asText() + "; Lamina reads F32 tensors only");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > 8) {
            throw bad(file, "tensor '" + name + "' has no valid shape");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw bad(file, "tensor '" + name + "' has a bad dimension " + d);
            }
            shape[i] = d.asLong();
            if (shape[i] != 0 && elements > MAX_ELEMENTS / shape[i]) {
                throw bad(file, "tensor '" + name + "' is too large (" + shapeNode + ")");
            }
            elements *= shape[i];
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw bad(file, "tensor '" + name + "' has no valid data_offsets");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] outside the "
                    + dataSize + " data bytes");
        }
        if (end - begin != elements * 4) {
            throw bad(file, "tensor '" + name + "' of shape " + shapeNode + " needs " + elements * 4 + " bytes, but its offsets span "
                    + (end - begin));
        }
        return new Slot(name, shape, begin, end);
    }

    /** The format requires the tensors to cover the data buffer exactly, without gaps or overlaps. */
    private static void checkCoverage(Path file, List<Slot> slots, long dataSize) {
        List<Slot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong((Slot s) -> s.begin).thenComparingLong(s -> s.end));
        long expected = 0;
        for (Slot s : sorted) {
            if (s.begin != expected) {
                throw bad(file, "tensor '" + s.name + "' starts at byte " + s.begin + " where " + expected
                        + " was expected (gap or overlap)");
            }
            expected = s.end;
        }
        if (expected != dataSize) {
            throw bad(file, "the tensors cover " + expected + " of its " + dataSize + " data bytes");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static ModelFileException bad(Path file, String what) {
        return new ModelFileException(file + " is not a valid safetensors file: " + what + ".");
    }

}
