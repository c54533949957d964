using L4Re.Kernel;

namespace L4Re.Platform.BaikalT.Time;

/// <summary>
/// The kernel's virtual clock as a <see cref="TimeProvider"/> (for pcap timestamps): <see cref="Epoch"/> plus the
/// kernel's virtual time, so captures of the same run are identical.
/// </summary>
/// <param name="kernel">The kernel.</param>
/// <param name="epoch">Wall-clock time of virtual time zero.</param>
public sealed class KernelTimeProvider(Microkernel kernel, DateTimeOffset epoch) : TimeProvider
{
    private readonly Microkernel _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));

    /// <summary>The default epoch (2016-01-01, the year of the prpl demo).</summary>
    public static readonly DateTimeOffset DefaultEpoch = new(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Wall-clock time of virtual time zero.</summary>
    public DateTimeOffset Epoch { get; } = epoch;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Epoch + TimeSpan.FromTicks(_kernel.Now / 100);

    /// <inheritdoc />
    public override long TimestampFrequency => 1_000_000_000;

    /// <inheritdoc />
    public override long GetTimestamp() => _kernel.Now;
}
