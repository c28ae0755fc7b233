package dev.lamina.keras;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the small HDF5 files Keras uses: groups, float32 and int32 datasets (contiguous), and string
 * attributes, in the "latest" layout of the HDF5 format (superblock version 2, version 2 object headers
 * with compact links and attributes, Jenkins lookup3 checksums). h5py and libhdf5 read it.
 *
 * <p>Why not jhdf's writer: in jhdf 0.9.4 (and 0.13.0) a group written after the last dataset is
 * overwritten by the file's closing note (it writes that at the channel position the last dataset's
 * data left, not at the end), children are kept in a hash map so their order cannot be chosen to avoid
 * it, and an empty array attribute cannot be written. jhdf stays the reader.
 */
final class Hdf5Writer {
    private static final long UNDEFINED = -1L;
    private static final int MAX_MESSAGE = 0xFFFF;

    private byte[] out = new byte[4096];
    private int size;

    /** A group: children (groups or datasets) and attributes, each kept in the order they were added. */
    static final class Group {
        final Map<String, Object> children = new LinkedHashMap<>();
        final Map<String, Object> attributes = new LinkedHashMap<>();

        Group group(String name) {
            Object existing = children.get(name);
            if (existing instanceof Group) {
                return (Group) existing;
            }
            Group g = new Group();
            children.put(name, g);
            return g;
        }

        Group floats(String name, long[] shape, float[] values) {
            children.put(name, new Dataset(shape, values, 0, false));
            return this;
        }

        Group scalarInt(String name, int value) {
            children.put(name, new Dataset(new long[0], null, value, true));
            return this;
        }

        /** A string or an array of strings (String[]); an empty array is left out, as Keras reads a missing list as empty. */
        Group attribute(String name, Object value) {
            if (!(value instanceof String[] && ((String[]) value).length == 0)) {
                attributes.put(name, value);
            }
            return this;
        }
    }

    private static final class Dataset {
        final long[] shape;
        final float[] floats;
        final int intValue;
        final boolean isInt;

        Dataset(long[] shape, float[] floats, int intValue, boolean isInt) {
            this.shape = shape;
            this.floats = floats;
            this.intValue = intValue;
            this.isInt = isInt;
            if (!isInt && Arrays.stream(shape).reduce(1, (a, b) -> a * b) != floats.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + floats.length + " values");
            }
        }
    }

    private Hdf5Writer() {
    }

    /** The bytes of an HDF5 file whose root group is {@code root}. */
    static byte[] write(Group root) {
        Hdf5Writer w = new Hdf5Writer();
        w.reserve(48);
        long rootAddress = w.writeGroup(root);
        ByteBuffer sb = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        sb.put(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
        sb.put((byte) 2).put((byte) 8).put((byte) 8).put((byte) 0);   // version 2, 8-byte offsets and lengths, no flags
        sb.putLong(0).putLong(UNDEFINED).putLong(w.size).putLong(rootAddress);
        sb.putInt(Lookup3.hash(sb.array(), 0, 44));
        System.arraycopy(sb.array(), 0, w.out, 0, 48);
        return Arrays.copyOf(w.out, w.size);
    }

    private long writeGroup(Group g) {
        Messages m = new Messages();
        m.add(0x0A, new byte[] {0, 0});                                   // group info, defaults
        m.add(0x02, le(18).put((byte) 0).put((byte) 0).putLong(UNDEFINED).putLong(UNDEFINED).array());   // link info: compact
        g.attributes.forEach((name, value) -> m.add(0x0C, attribute(name, value)));
        int[] linkAddressAt = new int[g.children.size()];
        int i = 0;
        for (String name : g.children.keySet()) {
            byte[] link = link(name);
            linkAddressAt[i++] = m.length() + 4 + link.length - 8;        // where the child's address goes, relative to the messages
            m.add(0x06, link);
        }
        int start = reserve(m.headerSize());
        long[] addresses = new long[g.children.size()];
        i = 0;
        for (Object child : g.children.values()) {
            addresses[i++] = child instanceof Group ? writeGroup((Group) child) : writeDataset((Dataset) child);
        }
        byte[] body = m.bytes();
        for (int k = 0; k < addresses.length; k++) {
            ByteBuffer.wrap(body, linkAddressAt[k], 8).order(ByteOrder.LITTLE_ENDIAN).putLong(addresses[k]);
        }
        place(start, Messages.header(body));
        return start;
    }

    private long writeDataset(Dataset d) {
        Messages m = new Messages();
        m.add(0x01, dataspace(d.shape));
        m.add(0x03, d.isInt ? int32Type() : float32Type());
        m.add(0x05, new byte[] {3, 0x11});                                // fill value: version 3, allocated early, undefined
        int layoutAt = m.length() + 4;
        m.add(0x08, new byte[18]);
        int start = reserve(m.headerSize());
        int count = d.isInt ? 1 : d.floats.length;
        long dataAddress = count == 0 ? UNDEFINED : reserve(4 * count);
        if (count > 0) {
            ByteBuffer data = ByteBuffer.wrap(out, (int) dataAddress, 4 * count).order(ByteOrder.LITTLE_ENDIAN);
            if (d.isInt) {
                data.putInt(d.intValue);
            } else {
                for (float f : d.floats) {
                    data.putFloat(f);
                }
            }
        }
        byte[] body = m.bytes();
        ByteBuffer.wrap(body, layoutAt, 18).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 3).put((byte) 1).putLong(dataAddress).putLong(4L * count);   // version 3, contiguous
        place(start, Messages.header(body));
        return start;
    }

    private static byte[] link(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > 255) {
            throw new IllegalArgumentException("HDF5 name '" + name + "' must have 1 to 255 bytes");
        }
        // version 1; flags: a charset field follows (UTF-8), name length in one byte; a hard link
        return le(4 + n.length + 8).put((byte) 1).put((byte) 0x10).put((byte) 1).put((byte) n.length).put(n).putLong(0).array();
    }

    private static byte[] attribute(String name, Object value) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        String[] strings = value instanceof String ? new String[] {(String) value} : (String[]) value;
        byte[][] encoded = new byte[strings.length][];
        int width = 1;
        for (int i = 0; i < strings.length; i++) {
            encoded[i] = strings[i].getBytes(StandardCharsets.UTF_8);
            width = Math.max(width, encoded[i].length);
        }
        byte[] type = le(8).put((byte) 0x13).put((byte) 0x11).put((byte) 0).put((byte) 0).putInt(width).array();   // string, null-padded, UTF-8
        byte[] space = dataspace(value instanceof String ? new long[0] : new long[] {strings.length});
        ByteBuffer b = le(9 + n.length + type.length + space.length + width * strings.length);
        b.put((byte) 3).put((byte) 0).putShort((short) n.length).putShort((short) type.length).putShort((short) space.length)
                .put((byte) 1).put(n).put(type).put(space);
        for (byte[] e : encoded) {
            b.put(e).put(new byte[width - e.length]);
        }
        if (b.capacity() > MAX_MESSAGE) {
            throw new IllegalArgumentException("the attribute '" + name + "' has " + b.capacity() + " bytes; an HDF5 object "
                    + "header holds at most " + MAX_MESSAGE);
        }
        return b.array();
    }

    private static byte[] dataspace(long[] shape) {
        ByteBuffer b = le(4 + 8 * shape.length).put((byte) 2).put((byte) shape.length).put((byte) 0)
                .put((byte) (shape.length == 0 ? 0 : 1));                 // version 2; scalar or simple
        for (long dim : shape) {
            b.putLong(dim);
        }
        return b.array();
    }

    private static byte[] float32Type() {
        // IEEE little-endian float: class 1, version 1; implied leading mantissa bit, sign at bit 31
        return le(20).put((byte) 0x11).put((byte) 0x20).put((byte) 31).put((byte) 0).putInt(4)
                .putShort((short) 0).putShort((short) 32).put((byte) 23).put((byte) 8).put((byte) 0).put((byte) 23).putInt(127).array();
    }

    private static byte[] int32Type() {
        return le(12).put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(4)   // signed, little-endian
                .putShort((short) 0).putShort((short) 32).array();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int reserve(int n) {
        if (size + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + n));
        }
        int at = size;
        size += n;
        return at;
    }

    private void place(int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
    }

    /** The messages of one version 2 object header. */
    private static final class Messages {
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

        void add(int type, byte[] data) {
            if (data.length > MAX_MESSAGE) {
                throw new IllegalArgumentException("an HDF5 header message holds at most " + MAX_MESSAGE + " bytes");
            }
            body.write(type);
            body.write(data.length & 0xFF);
            body.write(data.length >>> 8);
            body.write(0);
            body.writeBytes(data);
        }

        int length() {
            return body.size();
        }

        byte[] bytes() {
            return body.toByteArray();
        }

        /** Signature, version, flags and the 4-byte chunk size, the messages, the checksum. */
        int headerSize() {
            return 10 + body.size() + 4;
        }

        static byte[] header(byte[] messages) {
            ByteBuffer b = le(10 + messages.length + 4);
            b.put(new byte[] {'O', 'H', 'D', 'R'}).put((byte) 2).put((byte) 2).putInt(messages.length).put(messages);
            b.putInt(Lookup3.hash(b.array(), 0, 10 + messages.length));
            return b.array();
        }
    }

    /** Bob Jenkins' lookup3 hashlittle with seed 0, the checksum of the HDF5 format's version 2 structures. */
    static final class Lookup3 {
        private Lookup3() {
        }

        static int hash(byte[] k, int offset, int length) {
            int a = 0xdeadbeef + length;
            int b = a;
            int c = a;
            int i = offset;
            int left = length;
            while (left > 12) {
                a += word(k, i);
                b += word(k, i + 4);
                c += word(k, i + 8);
                a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
                b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
                c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
                a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
                b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
                c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
                left -= 12;
                i += 12;
            }
            if (left == 0) {
                return c;
            }
            int[] tail = new int[3];
            for (int j = 0; j < left; j++) {
                tail[j / 4] += (k[i + j] & 0xFF) << (8 * (j % 4));
            }
            a += tail[0];
            b += tail[1];
            c += tail[2];
            c ^= b; c -= Integer.rotateLeft(b, 14);
            a ^= c; a -= Integer.rotateLeft(c, 11);
            b ^= a; b -= Integer.rotateLeft(a, 25);
            c ^= b; c -= Integer.rotateLeft(b, 16);
            a ^= c; a -= Integer.rotateLeft(c, 4);
            b ^= a; b -= Integer.rotateLeft(a, 14);
            c ^= b; c -= Integer.rotateLeft(b, 24);
            return c;
        }

        private static int word(byte[] k, int i) {
            return (k[i] & 0xFF) | (k[i + 1] & 0xFF) << 8 | (k[i + 2] & 0xFF) << 16 | (k[i + 3] & 0xFF) << 24;
        }
    }
}
