package io.streamguard.model.encoder.onnx;

import io.streamguard.model.encoder.EncoderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Where the model's two files come from: the classpath, the model jar, or an unpacked directory. */
interface ModelSource extends AutoCloseable {

    /** {@code model}'s files from the classpath, where its jar puts them. */
    static ModelSource classpath(OnnxBertModel model) {
        return name -> {
            InputStream in = OnnxBertEncoder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new EncoderException(
                        name + " is not on the classpath: add the runtime dependency " + model.artifact());
            }
            return in;
        };
    }

    /** Opens one file; the caller closes the stream. */
    InputStream open(String name) throws IOException;

    @Override
    default void close() throws IOException {}

    /** {@code null}: the classpath; a directory: its files; anything else: a jar/zip holding them. */
    static ModelSource of(Path modelPath, OnnxBertModel model) throws IOException {
        if (modelPath == null) {
            return classpath(model);
        }
        if (Files.isDirectory(modelPath)) {
            return name -> Files.newInputStream(modelPath.resolve(name));
        }
        ZipFile zip = new ZipFile(modelPath.toFile());
        return new ModelSource() {
            @Override
            public InputStream open(String name) throws IOException {
                ZipEntry entry = zip.getEntry(name);
                if (entry == null) {
                    throw new NoSuchFileException(modelPath + "!/" + name);
                }
                return zip.getInputStream(entry);
            }

            @Override
            public void close() throws IOException {
                zip.close();
            }
        };
    }
}
