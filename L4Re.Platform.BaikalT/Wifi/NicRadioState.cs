namespace L4Re.Platform.BaikalT.Wifi;

/// <summary>What the NIC's registers say the radio does: read straight from the register file.</summary>
/// <param name="Enabled">CTRL.ENABLE.</param>
/// <param name="TxEnabled">CTRL.TX_ENABLE.</param>
/// <param name="RadarDetect">CTRL.RADAR_DETECT.</param>
/// <param name="ControlKhz">CHAN_FREQ.</param>
/// <param name="CenterKhz">CHAN_CENTER.</param>
/// <param name="WidthMhz">CHAN_WIDTH.</param>
/// <param name="TxPowerMbm">TX_POWER.</param>
/// <param name="AntennaGainMbi">ANT_GAIN.</param>
/// <param name="Mode">MODE.</param>
/// <param name="Regdomain">REGDOMAIN (with the lock bit).</param>
public readonly record struct NicRadioState(bool Enabled, bool TxEnabled, bool RadarDetect, uint ControlKhz, uint CenterKhz,
    int WidthMhz, int TxPowerMbm, int AntennaGainMbi, NicMode Mode, uint Regdomain)
{
    /// <summary>True when the NIC radiates (radio and transmitter on).</summary>
    public bool Transmitting => Enabled && TxEnabled;

    /// <summary>The EIRP in mBm (TX power + antenna gain).</summary>
    public int EirpMbm => TxPowerMbm + AntennaGainMbi;

    /// <summary>The country code of REGDOMAIN.</summary>
    public string Country => WifiNicRegisters.CountryOf(Regdomain);

    /// <summary>Whether the channel the NIC is tuned to covers <paramref name="khz"/>.</summary>
    public bool Covers(uint khz)
    {
        var half = (ulong)Math.Max(WidthMhz, 0) * 500;
        return khz >= CenterKhz - Math.Min(half, CenterKhz) && khz <= CenterKhz + half;
    }

    /// <inheritdoc />
    public override string ToString() =>
        !Enabled ? "radio off"
        : $"{(Transmitting ? "transmitting" : "listening")} {Mode} on {ControlKhz / 1000.0:0.###} MHz/{WidthMhz} (centre {CenterKhz / 1000.0:0.###}), TX {TxPowerMbm / 100.0:0.00} dBm, EIRP {EirpMbm / 100.0:0.00} dBm{(RadarDetect ? ", radar detection" : "")}";
}

/// <summary>One frame the NIC radiated, with the radio state at that moment.</summary>
/// <param name="AtNs">Virtual time.</param>
/// <param name="State">The radio state.</param>
/// <param name="Length">Frame length in bytes.</param>
public readonly record struct RadioEmission(long AtNs, NicRadioState State, int Length);
