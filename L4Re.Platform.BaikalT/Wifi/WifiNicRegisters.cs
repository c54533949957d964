namespace L4Re.Platform.BaikalT.Wifi;

/// <summary>
/// The register map of the Wi-Fi NIC model (BAR0, 32-bit little-endian registers; docs/platform.md has the
/// table). The register interface is the SDK's own — small and documented — in the place of the QCA988x that
/// sits on the prpl board's PCIe; the PCI identity is that of the QCA9880 so io configurations match it as usual.
/// The NIC itself checks nothing: any channel, width, power or mode written is what it radiates with. Keeping
/// the radio inside the rules is the job of the trusted driver and the policy gate.
/// </summary>
public static class WifiNicRegisters
{
    /// <summary>Size of the register window (BAR0).</summary>
    public const ulong WindowSize = 0x1_0000;

    /// <summary>ID (RO): <see cref="IdValue"/>.</summary>
    public const int Id = 0x000;
    /// <summary>CTRL (RW): <see cref="CtrlEnable"/>, <see cref="CtrlTxEnable"/>, <see cref="CtrlRadarDetect"/>, <see cref="CtrlReset"/> (self-clearing).</summary>
    public const int Ctrl = 0x004;
    /// <summary>STATUS (RO): <see cref="StatusRunning"/>, <see cref="StatusTransmitting"/>, <see cref="StatusRadarSeen"/>, <see cref="StatusRegdomainLocked"/>.</summary>
    public const int Status = 0x008;
    /// <summary>INT_STATUS (RW1C): <see cref="IntRadar"/>, <see cref="IntTxDone"/>, <see cref="IntRxDone"/>, <see cref="IntDmaError"/>.</summary>
    public const int IntStatus = 0x00c;
    /// <summary>INT_MASK (RW): the same bits; 1 = the interrupt line follows the status bit.</summary>
    public const int IntMask = 0x010;
    /// <summary>REGDOMAIN (RW until locked): country code ASCII in bits 15:0 (first letter in 7:0), DFS region in 19:16, <see cref="RegdomainLock"/> in bit 31 (write-once until reset).</summary>
    public const int Regdomain = 0x014;
    /// <summary>CHAN_FREQ (RW): centre of the control channel in kHz.</summary>
    public const int ChanFreq = 0x018;
    /// <summary>CHAN_CENTER (RW): centre of the whole channel in kHz.</summary>
    public const int ChanCenter = 0x01c;
    /// <summary>CHAN_WIDTH (RW): channel width in MHz.</summary>
    public const int ChanWidth = 0x020;
    /// <summary>TX_POWER (RW): conducted TX power in mBm (signed).</summary>
    public const int TxPower = 0x024;
    /// <summary>ANT_GAIN (RW): antenna gain in mBi (signed), used for EIRP reporting.</summary>
    public const int AntGain = 0x028;
    /// <summary>MODE (RW): 0 station, 1 access point, 2 mesh, 3 IBSS, 4 monitor.</summary>
    public const int Mode = 0x02c;
    /// <summary>RADAR_FREQ (RO): centre (kHz) of the signal that set <see cref="StatusRadarSeen"/>.</summary>
    public const int RadarFreq = 0x030;
    /// <summary>TX_RING_LO/HI (RW): DMA address of the transmit descriptor ring.</summary>
    public const int TxRingLo = 0x034, TxRingHi = 0x038;
    /// <summary>TX_RING_SIZE (RW): number of 16-byte descriptors, a power of two up to <see cref="MaxRingSize"/>.</summary>
    public const int TxRingSize = 0x03c;
    /// <summary>TX_HEAD (RO): the next descriptor the NIC processes.</summary>
    public const int TxHead = 0x040;
    /// <summary>TX_TAIL (RW, doorbell): one past the last descriptor the driver filled; writing it starts transmission.</summary>
    public const int TxTail = 0x044;
    /// <summary>RX_RING_LO/HI (RW): DMA address of the receive descriptor ring.</summary>
    public const int RxRingLo = 0x048, RxRingHi = 0x04c;
    /// <summary>RX_RING_SIZE (RW).</summary>
    public const int RxRingSize = 0x050;
    /// <summary>RX_HEAD (RO): the next descriptor the NIC fills.</summary>
    public const int RxHead = 0x054;
    /// <summary>RX_TAIL (RW): one past the last empty descriptor the driver made available.</summary>
    public const int RxTail = 0x058;
    /// <summary>TX_COUNT (RO): frames radiated.</summary>
    public const int TxCount = 0x05c;
    /// <summary>RX_COUNT (RO): frames received.</summary>
    public const int RxCount = 0x060;
    /// <summary>DMA_ERRORS (RO): DMA transfers the bus refused.</summary>
    public const int DmaErrors = 0x064;
    /// <summary>TX_DROPPED (RO): transmit descriptors completed without radiating (radio or TX disabled, bad length).</summary>
    public const int TxDropped = 0x068;

    /// <summary>The ID register's value ("WF" model, version 1).</summary>
    public const uint IdValue = 0x5746_0001;

    /// <summary>CTRL: radio on (receiver and synthesizer).</summary>
    public const uint CtrlEnable = 1;
    /// <summary>CTRL: transmitter on (beacons, frames).</summary>
    public const uint CtrlTxEnable = 2;
    /// <summary>CTRL: radar detection on.</summary>
    public const uint CtrlRadarDetect = 4;
    /// <summary>CTRL: reset every register (self-clearing).</summary>
    public const uint CtrlReset = 8;
    /// <summary>CTRL bits that are stored.</summary>
    public const uint CtrlMask = CtrlEnable | CtrlTxEnable | CtrlRadarDetect;

    /// <summary>STATUS: the radio is on.</summary>
    public const uint StatusRunning = 1;
    /// <summary>STATUS: the transmitter is on.</summary>
    public const uint StatusTransmitting = 2;
    /// <summary>STATUS: radar was detected (cleared with <see cref="IntRadar"/>).</summary>
    public const uint StatusRadarSeen = 4;
    /// <summary>STATUS: REGDOMAIN is locked.</summary>
    public const uint StatusRegdomainLocked = 8;

    /// <summary>Interrupt: radar detected.</summary>
    public const uint IntRadar = 1;
    /// <summary>Interrupt: transmit descriptors completed.</summary>
    public const uint IntTxDone = 2;
    /// <summary>Interrupt: a frame was received.</summary>
    public const uint IntRxDone = 4;
    /// <summary>Interrupt: a DMA transfer was refused.</summary>
    public const uint IntDmaError = 8;
    /// <summary>All interrupt bits.</summary>
    public const uint IntAll = IntRadar | IntTxDone | IntRxDone | IntDmaError;

    /// <summary>REGDOMAIN: lock bit.</summary>
    public const uint RegdomainLock = 1u << 31;

    /// <summary>Largest ring.</summary>
    public const int MaxRingSize = 256;

    /// <summary>Bytes per descriptor: u64 buffer address, u16 length, u16 flags, u32 status.</summary>
    public const int DescriptorSize = 16;

    /// <summary>Descriptor flag: the descriptor is done (written by the NIC).</summary>
    public const ushort DescDone = 1;

    /// <summary>Descriptor status: frame radiated / received.</summary>
    public const uint DescOk = 0;
    /// <summary>Descriptor status: not radiated because the radio or transmitter is off.</summary>
    public const uint DescTxOff = 1;
    /// <summary>Descriptor status: bad length.</summary>
    public const uint DescBadLength = 2;
    /// <summary>Descriptor status: the frame buffer could not be read or written (DMA refused).</summary>
    public const uint DescDmaError = 3;

    /// <summary>Largest 802.11 frame body the model carries.</summary>
    public const int MaxFrame = 2304;

    /// <summary>Packs a country code and DFS region into REGDOMAIN (without the lock).</summary>
    public static uint PackRegdomain(string alpha2, int dfsRegion)
    {
        ArgumentNullException.ThrowIfNull(alpha2);
        if (alpha2.Length != 2)
            throw new ArgumentException("two letters", nameof(alpha2));
        return (uint)(alpha2[0] & 0xff) | (uint)(alpha2[1] & 0xff) << 8 | (uint)(dfsRegion & 0xf) << 16;
    }

    /// <summary>The country code in a REGDOMAIN value.</summary>
    public static string CountryOf(uint regdomain)
    {
        var a = (char)(regdomain & 0xff);
        var b = (char)(regdomain >> 8 & 0xff);
        return a == 0 && b == 0 ? "" : new string([a, b]);
    }
}
