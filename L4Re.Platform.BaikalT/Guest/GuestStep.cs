namespace L4Re.Platform.BaikalT.Guest;

/// <summary>One step of the OpenWrt stand-in program (<see cref="RadioGuestProgram"/>).</summary>
public abstract record GuestStep
{
    /// <summary>Prints a line on the console (UART1).</summary>
    /// <param name="Text">The text (printable ASCII, no ';').</param>
    public sealed record Print(string Text) : GuestStep;

    /// <summary>Sends one line of the radio control protocol over the virtio console and prints the request and the reply.</summary>
    /// <param name="Line">The request (printable ASCII, no ';').</param>
    public sealed record Radio(string Line) : GuestStep;

    /// <summary>Sends an Ethernet broadcast (EtherType 0x88b5) with <paramref name="Payload"/> through the virtio-net port.</summary>
    /// <param name="Payload">The payload text.</param>
    public sealed record SendFrame(string Payload) : GuestStep;

    /// <summary>Prints every frame the virtio-net port received since the last poll.</summary>
    public sealed record PollFrames : GuestStep;

    /// <summary>Sleeps with WAIT on the CP0 timer.</summary>
    /// <param name="Seconds">Virtual seconds.</param>
    public sealed record Sleep(int Seconds) : GuestStep;

    /// <summary>Stores to a register of the Wi-Fi NIC at its physical address (which this VM has no mapping for).</summary>
    /// <param name="Offset">Register offset.</param>
    /// <param name="Value">The value.</param>
    public sealed record ProbeNic(uint Offset, uint Value) : GuestStep;
}
