namespace L4Re.Uvmm.Devices;

/// <summary>Register layout and clock of a 16550 from its device tree node.</summary>
/// <param name="RegShift">Register spacing as log2 bytes (<c>reg-shift</c>, default 0).</param>
/// <param name="RegIoWidth">Access width the guest uses in bytes (<c>reg-io-width</c>, 1 or 4).</param>
/// <param name="ClockHz">Input clock (<c>clock-frequency</c>, default 1.8432 MHz).</param>
public sealed record UartOptions(int RegShift = 0, int RegIoWidth = 1, uint ClockHz = 1_843_200)
{
    /// <summary>The standard UART clock, 1.8432 MHz.</summary>
    public const uint StandardClock = 1_843_200;
}
