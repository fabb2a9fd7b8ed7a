/**
 * The model runtime: texts in, every head's scores out. Entry point:
 * {@link io.streamguard.model.Classifier}; engines sit behind
 * {@link io.streamguard.model.encoder.Encoder}, loaded by
 * {@link io.streamguard.model.encoder.EncoderFactory}.
 *
 * <p>Every failure the module raises on purpose is a {@link io.streamguard.model.ModelRuntimeException}
 * (unchecked); the message says what and why, on one line unless noted:
 *
 * <pre>
 * ModelRuntimeException                  (abstract)
 * ├─ EncoderException                    an engine could not be loaded or failed on a batch
 * │  ├─ BatchFailedException             one Classifier batch failed: batch(), indices() of its texts
 * │  ├─ UnsupportedEncoderException      the configured encoder id is not in this build: encoderId()
 * │  └─ InvalidModelException            (minilm) the model file is not a usable MiniLM export
 * ├─ EncoderClosedException              an encoder was used after close()
 * ├─ TokenizerException                  (sealed) a vocabulary or tokenizer.json that cannot be used
 * │  ├─ InvalidVocabularyException       malformed vocabulary
 * │  └─ UnsupportedTokenizerException    a tokenizer.json this WordPiece tokenizer would not reproduce
 * ├─ HeadsFileException                  a heads file that cannot be read, written or parsed; names file and field
 * ├─ IncompatibleHeadsException          heads trained on another encoder, vocabulary or maxLength
 * ├─ TrainingException                   TensorFlow refused the training graph or a run, or the loss diverged
 * └─ DatasetFormatException              a data file that is not labelled text: file(), line()
 * </pre>
 *
 * <p>What a caller should do:
 * <ul>
 *   <li>{@code BatchFailedException}, or an {@code EncoderException} from {@code Encoder.encode}: the
 *       engine failed on this input; retry the batch or dead-letter its texts, the engine stays usable.</li>
 *   <li>An {@code EncoderException} while loading, {@code UnsupportedEncoderException},
 *       {@code InvalidModelException}, {@code TokenizerException}: the model artifact or configuration is
 *       wrong; fix it and restart, retrying cannot help.</li>
 *   <li>{@code EncoderClosedException}: a lifecycle bug of the caller (work submitted after shutdown);
 *       not retryable and not the batch's fault, so never dead-letter texts for it.</li>
 *   <li>{@code HeadsFileException}, {@code IncompatibleHeadsException}: refuse that heads version and
 *       keep serving the current one (a running worker) or exit with the message (a command).</li>
 *   <li>{@code TrainingException}, {@code DatasetFormatException}: report the message (it names the
 *       file and line for data) and stop; change the data or the training options.</li>
 * </ul>
 *
 * <p>A call that starts on a closed {@link io.streamguard.model.Classifier} throws {@link IllegalStateException}
 * (one closed mid-call fails with {@code EncoderClosedException});
 * bad arguments throw {@link IllegalArgumentException}; reading a bundled resource can throw
 * {@link java.io.UncheckedIOException}.
 */
package io.streamguard.model;
