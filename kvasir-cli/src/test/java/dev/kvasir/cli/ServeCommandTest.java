package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import org.junit.jupiter.api.Test;

/** {@code kvasir serve} option checks (the server itself is tested in kvasir-server). */
class ServeCommandTest {

    @Test
    void byteSizesTakeBinarySuffixes() {
        assertThat(ByteSize.parse("--cache-ram", "1048576")).isEqualTo(1L << 20);
        assertThat(ByteSize.parse("--cache-ram", "512K")).isEqualTo(512L << 10);
        assertThat(ByteSize.parse("--cache-ram", "64m")).isEqualTo(64L << 20);
        assertThat(ByteSize.parse("--cache-disk", "4GB")).isEqualTo(4L << 30);
        assertThatThrownBy(() -> ByteSize.parse("--cache-disk", "lots")).isInstanceOf(KvasirException.class)
                .hasMessage("--cache-disk: 'lots' is not a byte size; write e.g. 1048576, 512K, 64M or 4G");
        assertThatThrownBy(() -> ByteSize.parse("--cache-disk", "-1G")).isInstanceOf(KvasirException.class);
    }

    @Test
    void badOptionsAreOneLineErrorsBeforeTheServerStarts() {
        Cli.Result r = Cli.exec("serve", "--cache-ram", "lots");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("kvasir: --cache-ram: 'lots' is not a byte size; write e.g. 1048576, 512K, 64M or 4G\n");
        Cli.Result p = Cli.exec("serve", "-m", SharedData.model("stories260K.gguf").toString(), "--parallel", "0");
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(p.err()).contains("--parallel must be at least 1, got 0");
    }
}
