using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Gate;

/// <summary>
/// A radio configuration request from the untrusted side: a control channel (by frequency, or by channel number
/// and band), a width, the conducted TX power and antenna gain, the interface mode and indoor/outdoor use.
/// All fields are untrusted data; the gate validates every one.
/// </summary>
public readonly struct RadioRequest
{
    /// <summary>Centre of the control channel in kHz; 0 to use <see cref="Channel"/> and <see cref="Band"/>.</summary>
    public uint FrequencyKhz { get; init; }

    /// <summary>Control channel number, used when <see cref="FrequencyKhz"/> is 0.</summary>
    public int Channel { get; init; }

    /// <summary>Band of <see cref="Channel"/>.</summary>
    public Band Band { get; init; }

    /// <summary>Width in MHz: 20, 40, 80 or 160.</summary>
    public int WidthMhz { get; init; }

    /// <summary>Centre of the whole channel in kHz; 0 to take it from the usual channel plan.</summary>
    public uint CenterFrequencyKhz { get; init; }

    /// <summary>Requested conducted TX power in mBm (100 × dBm).</summary>
    public int TxPowerMbm { get; init; }

    /// <summary>Antenna gain in mBi the untrusted side declares (the gate uses at least the installed antenna's).</summary>
    public int AntennaGainMbi { get; init; }

    /// <summary>Interface mode.</summary>
    public OperatingMode Mode { get; init; }

    /// <summary>Whether the radio is used outdoors.</summary>
    public bool Outdoor { get; init; }

    /// <summary>A request for a control frequency given in MHz.</summary>
    public static RadioRequest ForFrequency(int frequencyMhz, int widthMhz, int txPowerDbm, OperatingMode mode = OperatingMode.AccessPoint,
        int antennaGainDbi = 0, bool outdoor = false) => new()
        {
            FrequencyKhz = frequencyMhz > 0 ? (uint)frequencyMhz * 1000 : 0,
            WidthMhz = widthMhz,
            TxPowerMbm = txPowerDbm * 100,
            AntennaGainMbi = antennaGainDbi * 100,
            Mode = mode,
            Outdoor = outdoor,
        };
}
